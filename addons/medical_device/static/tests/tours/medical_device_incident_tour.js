import { registry } from "@web/core/registry";
import { pickInSelectMenu } from "@medical_device/../tests/tours/tour_helpers";

// Fixture: tests/test_tour_vigilance.py. A technician reports a serious
// incident from the device's form; a pharmacist declares an incident whose
// ANSM date is filled, after typing its ANSM reference.
registry.category("web_tour.tours").add("medical_device_vigilance_report_tour", {
    steps: () => [
        {
            // A form with many smart buttons puts the last ones under "More",
            // by the width of the screen.
            content: "Show the device's smart buttons",
            trigger: ".o_form_view .o-form-buttonbox",
            run() {
                if (!document.querySelector('button[name="action_view_incidents"]')) {
                    document.querySelector(".o-form-buttonbox .o_button_more")?.click();
                }
            },
        },
        {
            content: "Open the device's incidents from its form",
            trigger: 'button[name="action_view_incidents"]',
            run: "click",
        },
        {
            content: "Report a new incident",
            trigger: ".o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The device is the one the incidents were opened from",
            trigger: '.o_form_view .o_field_widget[name="equipment_id"] input',
        },
        {
            content: "Describe what happened",
            trigger: '.o_form_view .o_field_widget[name="description"] textarea',
            run: "edit Unexpected bolus when the syringe was changed.",
        },
        pickInSelectMenu(
            "patient_consequence",
            "Serious deterioration",
            "The patient's health seriously deteriorated"
        ),
        {
            content: "Save the report",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, a draft: the pharmacist is the one who declares",
            trigger:
                ".o_form_view .o_form_saved .o_statusbar_status " +
                'button[data-value="draft"][aria-checked="true"]',
        },
        {
            content: "Marked serious",
            trigger: '.o_form_view .o_field_widget[name="is_serious"] input:checked',
        },
    ],
});

registry.category("web_tour.tours").add("medical_device_vigilance_declare_tour", {
    steps: () => [
        {
            content: "The panel says what the declaration lacks",
            trigger: '.o_form_view .o_dm_next_step[data-ready="0"][data-state="declared"]',
        },
        {
            content: "Open the declaration tab",
            trigger: '.o_form_view .o_notebook .nav-link[name="declaration"]',
            run: "click",
        },
        {
            content: "Type the ANSM reference",
            trigger: '.o_form_view .o_field_widget[name="ansm_reference"] input',
            run: "edit R2612001",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Now ready",
            trigger: '.o_form_view .o_form_saved .o_dm_next_step[data-ready="1"]',
        },
        {
            content: "Declare to the ANSM",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_declare"]',
            run: "click",
        },
        {
            content: "Declared",
            trigger:
                ".o_form_view .o_statusbar_status " +
                'button[data-value="declared"][aria-checked="true"]',
        },
    ],
});
