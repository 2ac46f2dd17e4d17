import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Fixture: tests/test_tour_vigilance.py creates three Dräger ventilators (two
// of them in the ANSM notice's lots) and gives the pharmacist the sample file
// data/samples/dm_vigilance_notice_sample.csv as an attachment of her own.
const SAMPLE = "dm_vigilance_notice_sample.csv";
const NOTICE = "ANSM-2026-0042";

registry.category("web_tour.tours").add("medical_device_vigilance_import_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("medical_device.medical_device_menu_root", "Open the Medical devices app"),
        {
            content: "Open the Materiovigilance section",
            trigger: '.o_menu_sections [data-menu-xmlid="medical_device.menu_dm_vigilance_root"]',
            run: "click",
        },
        {
            content: "Import safety notices",
            trigger: '.dropdown-item[data-menu-xmlid="medical_device.dm_vigilance_notice_import_menu"]',
            run: "click",
        },
        {
            content: "Choose the sample CSV file",
            trigger: '.modal .o_field_widget[name="file"]',
            async run() {
                const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
                    model: "ir.attachment",
                    method: "search_read",
                    args: [[["name", "=", SAMPLE]], ["id"]],
                    kwargs: {},
                });
                const response = await fetch(`/web/content/${attachment.id}?download=true`);
                const file = new File([await response.blob()], SAMPLE, { type: "text/csv" });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                const input = document.querySelector('.modal .o_field_widget[name="file"] input[type="file"]');
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is loaded",
            trigger: '.modal .o_field_widget[name="file"] .o_clear_file_button',
        },
        {
            content: "Import",
            trigger: '.modal button[name="action_import"]',
            run: "click",
        },
        {
            content: "Both notices of the file are listed; open the ANSM one",
            trigger: `.o_list_view .o_data_row:contains("FSN-2026-SP-01") ~ .o_data_row:contains("${NOTICE}"), .o_list_view .o_data_row:contains("${NOTICE}") ~ .o_data_row:contains("FSN-2026-SP-01")`,
        },
        {
            content: "Open the ANSM notice",
            trigger: `.o_list_view .o_data_row:contains("${NOTICE}") td[name="name"]`,
            run: "click",
        },
        {
            content: "Match the devices",
            trigger: '.o_form_view button[name="action_match"]',
            run: "click",
        },
        {
            content: "The notice is matched: two devices concerned",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current:contains("Matched")',
        },
        {
            content: "Open the devices concerned",
            trigger: '.o_form_view a[name="actions"]',
            run: "click",
        },
        {
            content: "The two ventilators of the lots are listed, not the third",
            trigger: '.o_field_widget[name="action_ids"]:contains("Tour Evita A"):contains("Tour Evita B"):not(:contains("Tour Evita C"))',
        },
    ],
});

registry.category("web_tour.tours").add("medical_device_vigilance_action_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("medical_device.medical_device_menu_root", "Open the Medical devices app"),
        {
            content: "Open the Materiovigilance section",
            trigger: '.o_menu_sections [data-menu-xmlid="medical_device.menu_dm_vigilance_root"]',
            run: "click",
        },
        {
            content: "Open the actions on devices",
            trigger: '.dropdown-item[data-menu-xmlid="medical_device.dm_vigilance_action_menu"]',
            run: "click",
        },
        {
            content: "Open the action on Tour Evita A",
            trigger: '.o_list_view .o_data_row:contains("Tour Evita A") td[name="equipment_id"]',
            run: "click",
        },
        {
            content: "Write what was done",
            trigger: '.o_form_view .o_field_widget[name="note"] textarea',
            run: "edit Expiratory valve replaced",
        },
        {
            content: "Record it done",
            trigger: '.o_form_view button[name="action_done"]',
            run: "click",
        },
        {
            content: "The action is done",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
    ],
});
