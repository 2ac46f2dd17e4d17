import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_dashboard.py gives a moderately critical device in
// service a preventive request past its date, "Tour overdue preventive".
const panel = (key) => `.o_dm_dashboard .o_dm_panel[data-panel="${key}"]`;
const figure = (key, code) => `${panel(key)} .o_dm_figure[data-code="${code}"]`;

registry.category("web_tour.tours").add("medical_device_dashboard_tour", {
    url: "/odoo/dm-dashboard",
    steps: () => [
        {
            content: "The very critical panel shows unavailability and downtime",
            trigger: `${figure("very_critical", "vc_unavailable")} .o_dm_figure_value`,
        },
        {
            content: "… with its downtime and availability",
            trigger: `${figure("very_critical", "vc_availability")}`,
        },
        {
            content: "The low criticality panel follows the maintenance programme",
            trigger: `${figure("low", "low_programme_rate")}`,
        },
        {
            content: "Each panel draws its chart",
            trigger: `${panel("low")} .o_dm_chart canvas`,
        },
        {
            content: "The overdue preventive maintenance is coloured against its target",
            trigger: `${figure("moderate", "mod_preventive_late")}[data-state="danger"]`,
        },
        {
            content: "Open the overdue preventive maintenance",
            trigger: figure("moderate", "mod_preventive_late"),
            run: "click",
        },
        {
            content: "The list of the overdue requests opens, the dashboard in the breadcrumb",
            trigger: ".o_breadcrumb:contains('Criticality dashboard')",
        },
        {
            content: "It lists the overdue request",
            trigger: ".o_list_view .o_data_row:contains('Tour overdue preventive')",
        },
        {
            content: "… and not the one scheduled ahead",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour preventive ahead')))",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains('Criticality dashboard')",
            run: "click",
        },
        {
            content: "The dashboard is back",
            trigger: `${figure("moderate", "mod_preventive_late")} .o_dm_figure_value`,
        },
        {
            content: "Refresh it",
            trigger: ".o_dm_dashboard .o_dm_dashboard_refresh",
            run: "click",
        },
        {
            content: "Its charts are drawn again",
            trigger: `${panel("very_critical")} .o_dm_chart canvas`,
        },
        {
            content: "Open the analysis by device",
            trigger: ".o_dm_dashboard .o_dm_dashboard_analysis",
            run: "click",
        },
        {
            content: "The per-device pivot opens",
            trigger: ".o_pivot",
        },
    ],
});
