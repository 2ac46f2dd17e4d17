import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_mds2.py, a connected device "Tour MDS2 Pump" with
// the sample MDS2 workbook attached. The technician reads the form into
// proposals; the RSSI accepts the antivirus answer and refuses the USB one,
// giving the reason in the dialog. The start URL opens the device's form.
const page = (name) => `.o_notebook .nav-link[name="${name}"]`;
const row = (label) =>
    `.o_field_one2many[name="mds2_proposal_ids"] .o_data_row:contains("${label}")`;

registry.category("web_tour.tours").add("dm_cyber_mds2_read_tour", {
    steps: () => [
        {
            content: "Open the cyber matrix tab",
            trigger: page("dm_cyber_matrix"),
            run: "click",
        },
        {
            content: "Read the MDS2 form",
            trigger: '.o_form_view button[name="action_read_mds2"]',
            run: "click",
        },
        {
            content: "The answers are proposed",
            trigger: '.o_notification:contains("MDS2 answer(s) proposed")',
        },
        {
            content: "The form is reloaded: the answers to decide are counted",
            trigger: '.o_form_view .o_field_widget[name="mds2_pending_count"]:contains("9")',
        },
        {
            content: "Open the MDS2 tab",
            trigger: page("dm_cyber_mds2"),
            run: "click",
        },
        {
            content: "The antivirus answer is there, with its question",
            trigger: `${row("Antivirus")}:contains("MLDP-2")`,
        },
        {
            content: "The technician cannot accept it",
            trigger: `${row("Antivirus")}:not(:has(button[name="action_accept"]))`,
        },
    ],
});

registry.category("web_tour.tours").add("dm_cyber_mds2_decide_tour", {
    steps: () => [
        {
            content: "Open the MDS2 tab",
            trigger: page("dm_cyber_mds2"),
            run: "click",
        },
        {
            content: "Accept the antivirus answer",
            trigger: `${row("Antivirus")} button[name="action_accept"]`,
            run: "click",
        },
        {
            content: "It is accepted",
            trigger: `${row("Antivirus")}:contains("Accepted")`,
        },
        {
            content: "Refuse the USB answer",
            trigger: `${row("USB ports locked")} button[name="action_refuse"]`,
            run: "click",
        },
        {
            content: "Say why",
            trigger: '.modal .o_field_widget[name="refusal_reason"] textarea',
            run: "edit Our units have open USB ports",
        },
        {
            content: "Refuse",
            trigger: '.modal .modal-footer button[name="action_refuse"]',
            run: "click",
        },
        {
            content: "It is refused",
            trigger: `body:not(:has(.modal)) ${row("USB ports locked")}:contains("Refused")`,
        },
    ],
});
