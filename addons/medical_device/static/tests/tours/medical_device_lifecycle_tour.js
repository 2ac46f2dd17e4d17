import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_lifecycle.py creates "Tour Syringe Pump" in Reception
// with its regulatory data and an accepted reception report.
const DEVICE = "Tour Syringe Pump";
const column = (title) => `.o_kanban_group:has(.o_column_title:contains("${title}"))`;
const card = `.o_kanban_record:contains("${DEVICE}")`;

registry.category("web_tour.tours").add("medical_device_lifecycle_tour", {
    url: "/odoo/medical-devices",
    steps: () => [
        {
            content: "The lifecycle kanban shows its Reception column",
            trigger: `.o_kanban_renderer.o_kanban_grouped ${column("Reception")}`,
        },
        {
            content: "The lifecycle kanban shows its In service column",
            trigger: `.o_kanban_renderer.o_kanban_grouped ${column("In service")}`,
        },
        {
            content: "The device is not in service yet",
            trigger: `.o_kanban_renderer ${column("In service")}:not(:has(${card}))`,
        },
        {
            content: "Open the received device from the Reception column",
            trigger: `${column("Reception")} ${card}`,
            run: "click",
        },
        {
            content: "The form shows the device in Reception",
            trigger:
                ".o_form_view .o_statusbar_status " +
                'button[data-value="reception"][aria-checked="true"]',
        },
        {
            content: "Put the device in service",
            trigger:
                '.o_form_view .o_statusbar_buttons button[name="action_put_in_service"]',
            run: "click",
        },
        {
            content: "The statusbar now shows In service",
            trigger:
                ".o_form_view .o_statusbar_status " +
                'button[data-value="in_service"][aria-checked="true"]:contains("In service")',
        },
        {
            content: "The Put in service button is gone",
            trigger:
                ".o_form_view .o_form_renderer.o_form_saved" +
                ':not(:has(button[name="action_put_in_service"]))',
        },
        {
            content: "Back to the lifecycle kanban through the breadcrumb",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "The device now sits in the In service column",
            trigger: `.o_kanban_renderer ${column("In service")} ${card}`,
        },
        {
            content: "And no longer in the Reception column",
            trigger: `.o_kanban_renderer ${column("Reception")}:not(:has(${card}))`,
        },
    ],
});
