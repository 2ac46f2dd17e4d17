import { Component, onWillStart, useEffect, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * The quality-control trend chart of a device (Chart.js, as Odoo's graph view
 * loads it): the measures of one test over time, with the reference line and
 * the tolerance and action bands each measure was recorded with. Opened from
 * the device's form ("QC trends"), or from the menu with a device to choose.
 * Everything comes from maintenance.equipment.get_qc_trends(), read as the
 * user.
 */
export class DmQcTrends extends Component {
    static template = "medical_device.QcTrends";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.canvasRef = useRef("canvas");
        const params = this.props.action.params || {};
        this.state = useState({
            equipmentId: params.equipment_id || false,
            testId: params.test_id || false,
            devices: [],
            data: null,
        });
        onWillStart(async () => {
            await loadBundle("web.chartjs_lib");
            await this.load();
        });
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart && this.chart.destroy();
            },
            () => [this.state.data]
        );
    }

    async load() {
        if (!this.state.equipmentId) {
            this.state.devices = await this.orm.call(
                "maintenance.equipment",
                "get_qc_trend_devices",
                []
            );
            this.state.equipmentId = this.state.devices.length
                ? this.state.devices[0].id
                : false;
        }
        if (!this.state.equipmentId) {
            this.state.data = null;
            return;
        }
        this.state.data = await this.orm.call("maintenance.equipment", "get_qc_trends", [
            this.state.equipmentId,
            this.state.testId || false,
        ]);
        this.state.testId = this.state.data.test_id;
    }

    async onDeviceChange(ev) {
        this.state.equipmentId = parseInt(ev.target.value);
        this.state.testId = false;
        await this.load();
    }

    async onTestChange(ev) {
        this.state.testId = parseInt(ev.target.value);
        await this.load();
    }

    renderChart() {
        const data = this.state.data;
        if (!data || !data.points.length || !this.canvasRef.el) {
            return;
        }
        const points = data.points;
        const labels = points.map((p) => p.date_label);
        const line = (key, label, color, fill, dash) => ({
            label,
            data: points.map((p) => p[key]),
            borderColor: color,
            backgroundColor: color,
            borderWidth: 1,
            borderDash: dash || [],
            pointRadius: 0,
            fill: fill,
            stepped: true,
        });
        const statusColor = { ok: "#28a745", tolerance: "#ffac00", action: "#dc3545" };
        this.chart = new window.Chart(this.canvasRef.el, {
            type: "line",
            data: {
                labels,
                datasets: [
                    {
                        label: data.labels.value,
                        data: points.map((p) => p.value),
                        borderColor: "#017e84",
                        backgroundColor: points.map((p) => statusColor[p.status]),
                        pointRadius: 5,
                        borderWidth: 2,
                        fill: false,
                    },
                    line("reference", data.labels.reference, "#6c757d", false, [6, 4]),
                    line("tolerance_low", data.labels.tolerance, "rgba(255,172,0,0.8)", false),
                    line("tolerance_high", data.labels.tolerance, "rgba(255,172,0,0.8)", false),
                    line("action_low", data.labels.action, "rgba(220,53,69,0.8)", false),
                    line("action_high", data.labels.action, "rgba(220,53,69,0.8)", false),
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                    legend: {
                        position: "bottom",
                        labels: {
                            // One entry per band, not one per limit.
                            filter: (item, chart) =>
                                chart.datasets.findIndex((d) => d.label === item.text) ===
                                item.datasetIndex,
                        },
                    },
                    tooltip: {
                        callbacks: {
                            afterLabel: (ctx) =>
                                ctx.datasetIndex === 0
                                    ? `${points[ctx.dataIndex].status_label} — ${points[ctx.dataIndex].request}`
                                    : "",
                        },
                    },
                },
                scales: { y: { title: { display: !!data.unit, text: data.unit } } },
            },
        });
    }
}

registry.category("actions").add("medical_device.qc_trends", DmQcTrends);
