import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_software.py gives the tour a pharmacist. The tour
// registers a new AI software, qualifies it with the wizard (MDCG 2019-11 then
// rule 11: class IIa), confirms the qualification, adds a version and
// validates it.
const SOFTWARE = "Tour Lung Nodule AI";
const answer = (field, value) => ({
    content: `Answer ${field}: ${value}`,
    trigger: `.modal .o_field_widget[name="${field}"] input[data-value="${value}"]`,
    run: "click",
});
const versionRow = '.o_field_widget[name="version_ids"] .o_data_row:contains("2.10")';

registry.category("web_tour.tours").add("dm_software_tour", {
    url: "/odoo/dm-software",
    steps: () => [
        {
            content: "The software register opens on its lifecycle kanban",
            trigger: ".o_kanban_renderer.o_kanban_grouped",
        },
        {
            content: "Register a new software",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name it",
            trigger: '.o_form_view .o_field_widget[name="name"] input',
            run: `edit ${SOFTWARE}`,
        },
        {
            content: "State its intended purpose",
            trigger: '.o_form_view .o_field_widget[name="intended_purpose"] textarea',
            run: "edit Detects lung nodules on chest CT to help the radiologist.",
        },
        {
            content: "It contains AI",
            trigger: '.o_form_view .o_field_widget[name="contains_ai"] input',
            run: "click",
        },
        {
            content: "Run the qualification wizard",
            trigger:
                '.o_form_view .o_statusbar_buttons button[name="action_open_qualification_wizard"]',
            run: "click",
        },
        {
            content: "The wizard asks the first MDCG 2019-11 question",
            trigger: '.modal .o_field_widget[name="q_is_software"]',
        },
        answer("q_is_software", "yes"),
        answer("q_drives_device", "no"),
        answer("q_acts_on_data", "yes"),
        answer("q_individual_benefit", "yes"),
        answer("q_medical_purpose", "yes"),
        answer("q_ivd_data", "no"),
        answer("q_decision_support", "yes"),
        answer("q_decision_impact", "other"),
        answer("q_monitors_physiology", "no"),
        {
            content: "The wizard suggests a medical device software of class IIa",
            trigger:
                '.modal .o_field_widget[name="suggested_outcome"]:contains("Medical device software (MDR)")',
        },
        {
            content: "And says why (rule 11)",
            trigger: '.modal .o_field_widget[name="suggestion_reasons"]:contains("class IIa")',
        },
        {
            content: "Record the answers",
            trigger: '.modal-footer button[name="action_record"]',
            run: "click",
        },
        {
            content: "Confirm the qualification as the pharmacist",
            trigger:
                '.o_form_view:not(:has(.modal)) .o_statusbar_buttons button[name="action_confirm_qualification"]',
            run: "click",
        },
        {
            content: "The software is now a class IIa medical device",
            trigger: '.o_form_view .o_field_widget[name="dm_risk_class"]:contains("Class IIa")',
        },
        {
            content: "Add a version",
            trigger: '.o_field_widget[name="version_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "Its version string",
            trigger: '.o_field_widget[name="version_ids"] .o_data_row .o_field_widget[name="version"] input',
            run: "edit 2.10",
        },
        {
            content: "Its release notes",
            trigger:
                '.o_field_widget[name="version_ids"] .o_data_row .o_field_widget[name="release_notes"] textarea',
            run: "edit First release for the hospital.",
        },
        {
            content: "Save the software",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Validate the version",
            trigger: `.o_form_renderer.o_form_saved ${versionRow} button[name="action_validate"]`,
            run: "click",
        },
        {
            content: "The version is validated",
            trigger: `${versionRow} .o_field_widget[name="state"]:contains("Validated")`,
        },
    ],
});
