import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_next_step.py opens "Tour Next Step Monitor", in
// Reception without PIEU factors nor an accepted reception report.
const PANEL = ".o_form_view .o_dm_next_step";
// Items are found by the field that fixes them: the labels are the user's
// language.
const missing = (field) => `${PANEL} li.o_dm_item_missing[data-field="${field}"]`;

registry.category("web_tour.tours").add("medical_device_next_step_tour", {
    steps: () => [
        {
            content: "The device form opens on its regulatory identity, not Description",
            trigger: '.o_form_view .o_notebook .nav-link.active[name="dm_regulatory"]',
        },
        {
            content: "The panel names the next step, not ready",
            trigger: `${PANEL}[data-ready="0"][data-state="in_service"]`,
        },
        {
            content: "Put in service is shown before the PV is accepted, disabled",
            trigger: `${PANEL} button.o_dm_next_step_button[name="action_put_in_service"]:disabled`,
        },
        {
            content: "The regulatory identity is met",
            trigger: `${PANEL} li.o_dm_item_met[data-field="dm_risk_class"][data-page="dm_regulatory"]`,
        },
        {
            content: "The accepted reception report is missing",
            trigger: missing("reception_ids"),
        },
        {
            content: "The button says why it is disabled",
            trigger: `${PANEL} span[title*="PIEU"] button.o_dm_next_step_button:disabled`,
        },
        {
            content: "Follow the missing PIEU factors to their tab",
            trigger: `${missing("pieu_p_id")}[data-page="dm_pieu"] a.o_dm_next_step_link`,
            run: "click",
        },
        {
            content: "The PIEU tab is open",
            trigger: '.o_form_view .o_notebook .nav-link.active[name="dm_pieu"]',
        },
        {
            content: "Its factors are there to fill",
            trigger: '.o_form_view .o_notebook .o_field_widget[name="pieu_p_id"]',
        },
        {
            content: "Follow the missing reception report to its tab",
            trigger: `${missing("reception_ids")} a.o_dm_next_step_link`,
            run: "click",
        },
        {
            content: "The acquisition and reception tab is open",
            trigger: '.o_form_view .o_notebook .nav-link.active[name="dm_lifecycle"]',
        },
    ],
});

// Fixture: "Tour Next Step Ready Pump", in Reception with everything met.
registry.category("web_tour.tours").add("medical_device_next_step_ready_tour", {
    steps: () => [
        {
            content: "Every condition is met",
            trigger: `${PANEL}[data-ready="1"][data-state="in_service"]:not(:has(li.o_dm_item_missing))`,
        },
        {
            content: "Put in service from the panel",
            trigger: `${PANEL} button.o_dm_next_step_button[name="action_put_in_service"]:enabled`,
            run: "click",
        },
        {
            content: "The statusbar shows the device in service",
            trigger:
                ".o_form_view .o_statusbar_status " +
                'button[data-value="in_service"][aria-checked="true"]',
        },
        {
            content: "In service, no step ahead: the panel is gone",
            trigger: ".o_form_view .o_form_renderer.o_form_saved:not(:has(.o_dm_next_step))",
        },
    ],
});
