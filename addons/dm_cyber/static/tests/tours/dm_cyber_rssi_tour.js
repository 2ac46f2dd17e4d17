import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_cyber.py creates "Tour XP Ultrasound" (Windows XP, in
// Reception) waiting for the RSSI's approval of its network connection, and a
// supported device that the "Obsolete OS" filter must hide. Runs as the RSSI.
const DEVICE = "Tour XP Ultrasound";
const OTHER = "Tour Supported Monitor";

registry.category("web_tour.tours").add("dm_cyber_rssi_tour", {
    url: "/odoo/dm-cyber",
    steps: () => [
        {
            content: "The cyber dashboard opens on the criticality x cyber risk pivot",
            trigger: ".o_pivot_view .o_pivot",
        },
        {
            content: "Switch to the list of the cyber matrix",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Both devices are listed",
            trigger: `.o_list_view .o_data_row:contains("${OTHER}")`,
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter on obsolete operating systems",
            trigger: '.o_filter_menu .o-dropdown-item:contains("Obsolete OS")',
            run: "click",
        },
        {
            content: "Only the device with an obsolete OS is left",
            trigger: `.o_list_view:not(:has(.o_data_row:contains("${OTHER}"))) .o_data_row:contains("${DEVICE}")`,
        },
        {
            content: "Open it",
            trigger: `.o_data_row:contains("${DEVICE}") td[name="name"]`,
            run: "click",
        },
        {
            content: "Its cyber risk is critical",
            trigger: '.o_form_view .o_field_widget[name="cyber_risk_level"]:contains("Critical")',
        },
        {
            content: "Open its approvals",
            trigger: '.o_notebook .nav-link:contains("Approvals")',
            run: "click",
        },
        {
            content: "Approve the network connection",
            trigger:
                '.o_field_one2many[name="approval_ids"] .o_data_row:contains("Network connection") ' +
                'button[name="action_open_approve_wizard"]',
            run: "click",
        },
        {
            content: "Approve in the dialog, which shows the data",
            trigger: '.modal button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Confirm the final decision",
            trigger: '.modal:contains("The decision is final") .modal-footer .btn-primary',
            run: "click",
        },
        {
            content: "The network connection is approved",
            trigger:
                '.o_field_one2many[name="approval_ids"] .o_data_row:contains("Network connection")' +
                ':contains("Approved"):not(:has(button[name="action_open_approve_wizard"]))',
        },
    ],
});
