import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_erasure_line.py, a disposal at its erasure step
// with one planned SSD ("TOUR-LINE-SSD"). The technician opens the line, sees
// only the levels an SSD allows, fills its execution and records it with the
// "Record the erasure" button of the line's form.
const SERIAL = "TOUR-LINE-SSD";
const row = `.o_field_one2many[name="medium_ids"] .o_data_row:contains("${SERIAL}")`;
const chooseIn = (field, label) => [
    {
        content: `Open the choices of ${field}`,
        trigger: `.modal .o_field_widget[name="${field}"] input`,
        run: "click",
    },
    {
        content: `Choose ${label}`,
        trigger: `.o_select_menu_menu .o_select_menu_item:contains("${label}")`,
        run: "click",
    },
];

registry.category("web_tour.tours").add("dm_cyber_erasure_line_tour", {
    steps: () => [
        {
            content: "The planned line shows its Record the erasure button",
            trigger: `${row} button[name="action_record_execution"]:contains("Record the erasure")`,
        },
        {
            content: "Open the line",
            trigger: `${row} td[name="media_type"]`,
            run: "click",
        },
        {
            content: "The line's form says how to record it",
            trigger: '.modal .alert-info:contains("Record the erasure")',
        },
        {
            content: "Open the levels",
            trigger: '.modal .o_field_widget[name="level"] input',
            run: "click",
        },
        {
            content: "An SSD is purged or destroyed: Clear is not offered",
            trigger:
                '.o_select_menu_menu:has(.o_select_menu_item:contains("Destroy")):not(:has(.o_select_menu_item:contains("Clear")))',
        },
        {
            content: "Keep Purge",
            trigger: '.o_select_menu_menu .o_select_menu_item:contains("Purge")',
            run: "click",
        },
        {
            content: "Sanitised today",
            trigger: '.modal .o_field_widget[name="executed_on"] input',
            run: `edit ${formatDate(luxon.DateTime.now())}`,
        },
        ...chooseIn("result", "Sanitised"),
        ...chooseIn("verification_method", "Representative sampling"),
        {
            content: "By whom",
            trigger: '.modal .o_field_widget[name="sanitiser_name"] input',
            run: "edit Julien Moreau",
        },
        {
            content: "Record the erasure from the line's form",
            trigger: '.modal button[name="action_record_execution"]',
            run: "click",
        },
        {
            content: "The line is recorded",
            trigger:
                '.modal .o_statusbar_status button[data-value="sanitised"][aria-checked="true"], body:not(:has(.modal)) .o_data_row:contains("Sanitised")',
        },
    ],
});
