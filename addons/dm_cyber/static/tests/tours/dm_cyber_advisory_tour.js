import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// Fixture: tests/test_tour_advisory.py creates three connected Volumat 8
// pumps of Perfusio Medical (firmware 4.01, 4.02.03 and 4.03: the last one is
// fixed) and gives the RSSI the sample CSAF advisory ICSMA-25-105-01 as an
// attachment of her own.
const SAMPLE = "icsma_perfusio_volumat.json";
const ADVISORY = "ICSMA-25-105-01";

registry.category("web_tour.tours").add("dm_cyber_advisory_tour", {
    url: "/odoo/action-dm_cyber.dm_advisory_action",
    steps: () => [
        {
            content: "Import an advisory file",
            trigger: '.o_list_view button[name="action_open_import"]',
            run: "click",
        },
        {
            content: "Choose the CSAF file of the advisory",
            trigger: '.modal .o_field_widget[name="file"]',
            async run() {
                const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
                    model: "ir.attachment",
                    method: "search_read",
                    args: [[["name", "=", SAMPLE]], ["id"]],
                    kwargs: {},
                });
                const response = await fetch(`/web/content/${attachment.id}?download=true`);
                const file = new File([await response.blob()], SAMPLE, {
                    type: "application/json",
                });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                const input = document.querySelector(
                    '.modal .o_field_widget[name="file"] input[type="file"]'
                );
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
            content: "See the imported advisory",
            trigger: '.modal button[name="action_view_advisories"]',
            run: "click",
        },
        {
            content: "Open the advisory",
            trigger: `.o_data_row:contains("${ADVISORY}") td[name="name"], .o_form_view .o_field_widget[name="name"]:contains("${ADVISORY}")`,
            async run(helpers) {
                if (document.querySelector(".o_list_view")) {
                    await helpers.click();
                }
            },
        },
        {
            content: "The advisory was matched at import: two pumps affected",
            trigger: '.o_form_view button[name="action_view_vulnerabilities"]:contains("2")',
        },
        {
            content: "Match again: nothing doubles",
            trigger: '.o_form_view button[name="action_match_devices"]',
            run: "click",
        },
        {
            content: "Still two pumps affected; open them",
            trigger: '.o_form_view button[name="action_view_vulnerabilities"]:contains("2")',
            run: "click",
        },
        {
            content: "The pump on the Internet with patient data comes first",
            trigger: '.o_list_view .o_data_row:first-child:contains("Tour Volumat ICU")',
        },
        {
            content: "The ward's pump comes second: open it",
            trigger: '.o_list_view .o_data_row:nth-child(2):contains("Tour Volumat Ward") td[name="equipment_id"]',
            run: "click",
        },
        {
            content: "Mark it mitigated",
            trigger: '.o_form_view .o_statusbar_status button[data-value="mitigated"]',
            run: "click",
        },
        {
            content: "Say how",
            trigger: '.o_form_view .o_field_widget[name="status_note"] textarea',
            run: "edit Isolated on the biomedical VLAN, no route to the Internet",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, mitigated",
            trigger: '.o_form_view .o_form_saved .o_statusbar_status button.o_arrow_button_current[data-value="mitigated"], .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="mitigated"]',
        },
        {
            content: "Back to the advisory",
            trigger: `.o_breadcrumb .breadcrumb-item a:contains("${ADVISORY}")`,
            run: "click",
        },
        {
            content: "One pump still affected",
            trigger: '.o_form_view button[name="action_view_vulnerabilities"]:contains("1")',
        },
        {
            content: "Create an update campaign from the rest",
            trigger: '.o_form_view button[name="action_create_campaign"]',
            run: "click",
        },
        {
            content: "The campaign lists the pump still affected, not the mitigated one",
            trigger: '.o_form_view:contains("Tour Volumat ICU"):not(:contains("Tour Volumat Ward"))',
        },
    ],
});
