import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Fixture: tests/test_tour_approval.py creates "Tour Cloud Monitor" in Acquisition,
// its patient data hosted in a cloud, and a technician's request for the DPO's
// approval of the data-processing contract. The tour runs as the DPO.
const DEVICE = "Tour Cloud Monitor";
const row = `.o_list_view .o_data_row:contains("${DEVICE}"):contains("Data-processing contract")`;

registry.category("web_tour.tours").add("medical_device_approval_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("medical_device.medical_device_menu_root", "Open the Medical devices app"),
        {
            content: "Open the Approvals section",
            trigger: '.o_menu_sections [data-menu-xmlid="medical_device.dm_menu_approvals"]',
            run: "click",
        },
        {
            content: "Open My approvals",
            trigger: '.dropdown-item[data-menu-xmlid="medical_device.dm_approval_menu_my"]',
            run: "click",
        },
        {
            content: "The contract to approve is listed with its data",
            trigger: `${row}:contains("DPA-TOUR-42")`,
        },
        {
            content: "Approve it",
            trigger: `${row} button[name="action_open_approve_wizard"]`,
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
            content: "Nothing waits for the DPO any more",
            trigger: `.o_action_manager:not(:has(${row}))`,
        },
    ],
});
