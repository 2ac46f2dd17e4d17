import { Component, onWillStart, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * One chart of a panel (Chart.js, as Odoo's graph view loads it): a single
 * series whose bars open the list behind them.
 */
export class DmDashboardChart extends Component {
    static template = "medical_device.DashboardChart";
    static props = { chart: Object, onOpen: Function };

    setup() {
        this.canvasRef = useRef("canvas");
        onWillStart(() => loadBundle("web.chartjs_lib"));
        // Drawn again when the dashboard is refreshed (new chart data).
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart.destroy();
            },
            () => [this.props.chart]
        );
    }

    renderChart() {
        const { chart } = this.props;
        const doughnut = chart.type === "doughnut";
        this.chart = new window.Chart(this.canvasRef.el, {
            type: chart.type,
            data: {
                labels: chart.labels,
                datasets: [
                    {
                        data: chart.values,
                        backgroundColor: chart.colors,
                        borderWidth: doughnut ? 1 : 0,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { display: doughnut, position: "right" } },
                scales: doughnut
                    ? {}
                    : { y: { beginAtZero: true, ticks: { precision: 0 } } },
                onClick: (_event, elements) => {
                    if (elements.length) {
                        this.props.onOpen(chart.actions[elements[0].index]);
                    }
                },
            },
        });
    }
}

/**
 * The criticality dashboard: the panels given by dm.dashboard.get_panels(),
 * each figure coloured against its target and opening the records it counts.
 */
export class DmDashboard extends Component {
    static template = "medical_device.Dashboard";
    static components = { DmDashboardChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ panels: [], loaded: false });
        this.load = this.load.bind(this);
        onWillStart(() => this.load());
    }

    async load() {
        this.state.panels = await this.orm.call("dm.dashboard", "get_panels", []);
        this.state.loaded = true;
    }

    get title() {
        return this.props.action?.name || "";
    }

    openAnalysis() {
        this.actionService.doAction("medical_device.dm_criticality_report_action");
    }

    open(action) {
        if (action) {
            this.actionService.doAction(action);
        }
    }

    stateClass(figure) {
        return {
            success: "text-bg-success",
            warning: "text-bg-warning",
            danger: "text-bg-danger",
        }[figure.state] || "text-bg-light";
    }
}

registry.category("actions").add("medical_device.dashboard", DmDashboard);
