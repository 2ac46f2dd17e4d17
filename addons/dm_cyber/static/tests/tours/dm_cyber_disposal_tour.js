import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_disposal.py creates "Tour Disposal Ultrasound", in
// service and holding patient data. Three tours walk its disposal, one per role:
// the engineer requests it, plans and records the erasure of its SSD and submits
// it; the RSSI verifies the erasure; the DPO signs it off.
const DEVICE = "Tour Disposal Ultrasound";
const DEVICE_SERIAL = "TOUR-US-1";
const SERIAL = "TOUR-SSD-1";
const statusbar = (value) =>
    `.o_form_view .o_statusbar_status button[data-value="${value}"][aria-checked="true"]`;
const headerButton = (name) => `.o_form_view .o_statusbar_buttons button[name="${name}"]`;
const chooseIn = (root, field, label) => [
    {
        content: `Open the choices of ${field}`,
        trigger: `${root} .o_field_widget[name="${field}"] input`,
        run: "click",
    },
    {
        content: `Choose ${label}`,
        trigger: `.o_select_menu_menu .o_select_menu_item:contains("${label}")`,
        run: "click",
    },
];
const mediumRow = `.o_field_one2many[name="medium_ids"] .o_data_row:contains("${SERIAL}")`;

registry.category("web_tour.tours").add("dm_cyber_disposal_request_tour", {
    steps: () => [
        {
            content: "The device is in service",
            trigger: statusbar("in_service"),
        },
        {
            content: "Request its disposal",
            trigger: headerButton("action_open_disposal_request"),
            run: "click",
        },
        {
            content: "The disposal request opens for the device",
            trigger: `.o_form_view .o_field_widget[name="serial_no"]:contains("${DEVICE_SERIAL}")`,
        },
        ...chooseIn(".o_form_view", "reason", "Obsolete"),
        ...chooseIn(".o_form_view", "destination", "Destruction"),
        {
            content: "The device holds patient data: its erasure is planned",
            trigger: '.o_form_view .o_field_widget[name="holds_data"] input:checked',
        },
        {
            content: "Confirm the disposal (the request is saved first)",
            trigger: headerButton("action_confirm"),
            run: "click",
        },
        {
            content: "Yes, the device leaves service",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The device is now in its erasure step",
            trigger: statusbar("erasure"),
        },
        {
            content: "Plan a storage medium",
            trigger: '.o_field_one2many[name="medium_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        ...chooseIn(".modal", "media_type", "Solid-state drive"),
        {
            content: "An SSD is purged or destroyed, never cleared",
            trigger: '.modal .o_field_widget[name="allowed_levels"]:contains("Purge, Destroy")',
        },
        {
            content: "Its serial number",
            trigger: '.modal .o_field_widget[name="serial_no"] input',
            run: `edit ${SERIAL}`,
        },
        {
            content: "The tool",
            trigger: '.modal .o_field_widget[name="tool"] input',
            run: "edit Blancco Drive Eraser",
        },
        {
            content: "Sanitised today",
            trigger: '.modal .o_field_widget[name="executed_on"] input',
            run: `edit ${formatDate(luxon.DateTime.now())}`,
        },
        ...chooseIn(".modal", "result", "Sanitised"),
        ...chooseIn(".modal", "verification_method", "Representative sampling"),
        {
            content: "By whom",
            trigger: '.modal .o_field_widget[name="sanitiser_name"] input',
            run: "edit Julien Moreau",
        },
        {
            content: "Save the medium",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The medium is planned, Purge by default",
            trigger: `body:not(:has(.modal)) ${mediumRow}:contains("Purge")`,
        },
        {
            content: "Save the plan",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The plan is saved",
            trigger: `.o_form_view:has(.o_form_status_indicator_buttons.invisible) ${mediumRow}`,
        },
        {
            content: "Record its sanitisation",
            trigger: `${mediumRow} button[name="action_record_execution"]`,
            run: "click",
        },
        {
            content: "The medium is sanitised",
            trigger: `${mediumRow}:not(:has(button[name="action_record_execution"])) button[name="action_plan_again"]`,
        },
        {
            content: "Submit the erasure to the RSSI",
            trigger: headerButton("action_submit_verification"),
            run: "click",
        },
        {
            content: "The RSSI's verification is awaited",
            trigger: statusbar("verification"),
        },
    ],
});

registry.category("web_tour.tours").add("dm_cyber_disposal_verify_tour", {
    url: "/odoo/dm-disposals",
    steps: () => [
        {
            content: "Open the disposal of the device",
            trigger: `.o_list_view .o_data_row:contains("${DEVICE}") td[name="equipment_id"]`,
            run: "click",
        },
        {
            content: "It awaits the RSSI's verification",
            trigger: statusbar("verification"),
        },
        {
            content: "The SSD was sanitised",
            trigger: `${mediumRow}:contains("Sanitised")`,
        },
        {
            content: "Verify the erasure",
            trigger: headerButton("action_verify"),
            run: "click",
        },
        {
            content: "The DPO's sign-off is awaited",
            trigger: statusbar("sign_off"),
        },
    ],
});

registry.category("web_tour.tours").add("dm_cyber_disposal_sign_off_tour", {
    url: "/odoo/dm-erasure-sign-off",
    steps: () => [
        {
            content: "The disposal awaits the DPO's sign-off",
            trigger: `.o_list_view .o_data_row:contains("${DEVICE}") td[name="equipment_id"]`,
            run: "click",
        },
        {
            content: "Open the verification page",
            trigger: '.o_form_view .o_notebook .nav-link:contains("Verification and sign-off")',
            run: "click",
        },
        {
            content: "Verified by the RSSI",
            trigger: '.o_form_view .o_field_widget[name="verified_by_id"]:contains("Tour RSSI")',
        },
        {
            content: "Sign off",
            trigger: headerButton("action_sign_off"),
            run: "click",
        },
        {
            content: "The device is ready to be disposed of",
            trigger: statusbar("ready"),
        },
    ],
});
