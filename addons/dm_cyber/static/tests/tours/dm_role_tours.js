import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

// One tour per demo role, in French, from its home screen (/odoo opens the
// user's home action). Fixtures: dm_cyber/tests/test_tour_roles.py. Selectors
// name things (button names, field names, page names, menu xml ids), never
// the tab a form opens on: each tour clicks the tab it needs. The French
// checked is that of the addons' fr.po.

const form = ".o_form_view";
const statusbar = (value, label) =>
    `${form} .o_statusbar_status button[data-value="${value}"][aria-checked="true"]:contains("${label}")`;
// An enabled button (a next-step panel may show disabled ones with their reasons).
const button = (name, label) =>
    `${form} button[name="${name}"]:not([disabled])` + (label ? `:contains("${label}")` : "");
const tab = (name, label) => `${form} .o_notebook .nav-link[name="${name}"]:contains("${label}")`;
const column = (label) => `.o_kanban_group:has(.o_column_title:contains("${label}"))`;
const row = (text) => `.o_list_view .o_data_row:contains("${text}")`;
const menuSection = (xmlid, label) =>
    `.o_menu_sections [data-menu-xmlid="${xmlid}"]:contains("${label}")`;
const menuItem = (xmlid, label) =>
    `.dropdown-item[data-menu-xmlid="${xmlid}"]:contains("${label}")`;
const saved = `${form} .o_form_renderer.o_form_saved`;

// The app and its top bar, in French, as every role sees them.
const inTheApp = (sections) => [
    {
        content: "The Medical devices app, in French",
        trigger: '.o_main_navbar .o_menu_brand:contains("Dispositifs médicaux")',
    },
    ...sections.map(([xmlid, label]) => ({
        content: `The top bar shows ${label}`,
        trigger: menuSection(xmlid, label),
    })),
];
const FLEET = ["medical_device.dm_menu_fleet", "Parc"];
const APPROVALS = ["medical_device.dm_menu_approvals", "Approbations"];
const DISPOSAL = ["medical_device.dm_menu_disposal", "Réforme"];

// Approve the pending approval shown on the open document, confirm it.
const approveOnTheDocument = (what) => [
    {
        content: `${what} waits for my decision on the document: approve it`,
        trigger: button("action_open_approve_wizard"),
        run: "click",
    },
    {
        content: "Approve in the dialog, which shows the data",
        trigger: '.modal button[name="action_approve"]:contains("Approuver")',
        run: "click",
    },
    {
        content: "Confirm: the decision is final",
        trigger: '.modal:not(:has(button[name="action_approve"])) .modal-footer .btn-primary',
        run: "click",
    },
    {
        content: "Nothing left to decide on the document",
        trigger: `body:not(:has(.modal)) ${form}:not(:has(button[name="action_open_approve_wizard"]))`,
    },
];

// ----------------------------------------------------------------- engineer
const ENG_DEVICE = "Tour Rôle Moniteur";
registry.category("web_tour.tours").add("dm_role_engineer_tour", {
    steps: () => [
        {
            content: "The engineer lands on the lifecycle kanban",
            trigger: `.o_kanban_renderer.o_kanban_grouped ${column("En service")}`,
        },
        ...inTheApp([FLEET, APPROVALS, ["medical_device.medical_device_menu_config", "Configuration"]]),
        {
            content: "Open the received device from the Réception column",
            trigger: `${column("Réception")} .o_kanban_record:contains("${ENG_DEVICE}")`,
            run: "click",
        },
        {
            content: "The device is in Réception",
            trigger: statusbar("reception", "Réception"),
        },
        {
            content: "Open its reception reports",
            trigger: button("action_view_receptions", "Réceptions"),
            run: "click",
        },
        {
            content: "Open the submitted report",
            trigger: `${row(ENG_DEVICE)} td[name="name"]`,
            run: "click",
        },
        {
            content: "The report lists its acceptance criteria",
            trigger: `${form}:contains("Critères d'acceptation") .o_field_widget[name="serial_no"]:contains("TOUR-ROLE-ENG")`,
        },
        ...approveOnTheDocument("The acceptance of the reception report"),
        {
            content: "The report is accepted",
            trigger: statusbar("accepted", "Accepté"),
        },
        {
            content: "Back to the reception reports",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "The report is listed as accepted",
            trigger: `${row(ENG_DEVICE)}:contains("Accepté")`,
        },
        {
            content: "Back to the device",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "Put the device in service",
            trigger: button("action_put_in_service", "Mettre en service"),
            run: "click",
        },
        {
            content: "The device is in service",
            trigger: statusbar("in_service", "En service"),
        },
    ],
});

// --------------------------------------------------------------- technician
const TECH_DEVICE = "Tour Rôle Échographe";
const TECH_DISPOSAL = "RF-TOUR-TECH";
const CRITERIA = [
    "check_risk_class",
    "check_ce_marking",
    "check_delivery",
    "check_accessories",
    "check_documentation",
    "check_warranty",
    "check_electrical_safety",
];
const mediumRow = `.o_field_one2many[name="medium_ids"] .o_data_row:contains("${TECH_DISPOSAL}-SSD")`;
registry.category("web_tour.tours").add("dm_role_technician_tour", {
    steps: () => [
        {
            content: "The technician lands on the lifecycle kanban",
            trigger: `.o_kanban_renderer.o_kanban_grouped ${column("Acquisition")}`,
        },
        ...inTheApp([FLEET, ["dm_cyber.dm_menu_cyber", "Cyber"], DISPOSAL]),
        {
            content: "Open the delivered device from the Réception column",
            trigger: `${column("Réception")} .o_kanban_record:contains("${TECH_DEVICE}")`,
            run: "click",
        },
        {
            content: "Start its reception report",
            trigger: button("action_new_reception", "Nouveau PV de réception"),
            run: "click",
        },
        {
            content: "The report is for the device",
            trigger: `${form} .o_field_widget[name="serial_no"]:contains("TOUR-ROLE-TECH")`,
        },
        {
            content: "Its acceptance criteria are in French",
            trigger: `${form}:contains("Critères d'acceptation")`,
        },
        ...CRITERIA.map((name) => ({
            content: `Criterion ${name} met`,
            trigger: `${form} .o_field_widget[name="${name}"] input`,
            run: "check",
        })),
        {
            content: "Submit it to a biomedical engineer (saved first)",
            trigger: button("action_submit", "Soumettre pour acceptation"),
            run: "click",
        },
        {
            content: "The report waits for the engineer",
            trigger: `${saved}`,
        },
        {
            content: "Submitted: the button is gone",
            trigger: `${form}:not(:has(button[name="action_submit"])) .o_field_widget[name="validation_status"]`,
        },
        {
            content: "Go to Réforme",
            trigger: menuSection(...DISPOSAL),
            run: "click",
        },
        {
            content: "Open the disposals",
            trigger: menuItem("medical_device.dm_disposal_menu", "Réformes"),
            run: "click",
        },
        {
            content: "Open the disposal at its erasure step",
            trigger: `${row(TECH_DISPOSAL)} td[name="name"]`,
            run: "click",
        },
        {
            content: "The disposal is at its erasure step",
            trigger: statusbar("erasure", "Effacement"),
        },
        {
            content: "Open the erasure plan",
            trigger: tab("erasure", "Plan d'effacement"),
            run: "click",
        },
        {
            content: "The filled line is still planned: record the erasure",
            trigger: `${mediumRow}:contains("Prévu") button[name="action_record_execution"]:contains("Consigner l'effacement")`,
            run: "click",
        },
        {
            content: "The line is recorded",
            trigger: `${mediumRow}:contains("Effacé"):not(:has(button[name="action_record_execution"]))`,
        },
        {
            content: "Submit the erasure to the RSSI",
            trigger: button("action_submit_verification"),
            run: "click",
        },
        {
            content: "The RSSI's verification is awaited",
            trigger: `${form} .o_statusbar_status button[data-value="verification"][aria-checked="true"]`,
        },
    ],
});

// --------------------------------------------------------------- pharmacist
const PHARMA_DEVICE = "Tour Rôle Défibrillateur";
registry.category("web_tour.tours").add("dm_role_pharmacist_tour", {
    steps: () => [
        {
            content: "The pharmacist lands on the CE deadlines",
            trigger: '.o_breadcrumb:contains("Échéances CE")',
        },
        {
            content: "Its deadline column, in French",
            trigger: '.o_list_view th[data-name="ce_next_deadline"]:contains("Prochaine échéance CE")',
        },
        ...inTheApp([FLEET, ["medical_device.medical_device_menu_config", "Configuration"]]),
        {
            content: "Open the device whose certificate expires soon",
            trigger: `${row(PHARMA_DEVICE)} td[name="name"]`,
            run: "click",
        },
        {
            content: "Open its regulatory identity",
            trigger: tab("dm_regulatory", "Identité réglementaire"),
            run: "click",
        },
        {
            content: "The CE marking, in French",
            trigger: `${form}:contains("Marquage CE") .o_field_widget[name="ce_certificate_ref"] input`,
            run: "edit CE-TOUR-RENOUVELE",
        },
        {
            content: "Its certificate expires soon",
            trigger: `${form} .o_field_widget[name="ce_certificate_expiry"] button.o_input`,
            run: "click",
        },
        {
            content: "The renewed certificate's expiry",
            trigger: `${form} .o_field_widget[name="ce_certificate_expiry"] input`,
            run: `edit ${formatDate(luxon.DateTime.now().plus({ years: 5 }))}`,
        },
        {
            content: "Save",
            trigger: `${form} .o_form_button_save`,
            run: "click",
        },
        {
            content: "Saved",
            trigger: saved,
        },
    ],
});

// --------------------------------------------------------------------- RSSI
const RSSI_DEVICE = "Tour Rôle Pompe connectée";
registry.category("web_tour.tours").add("dm_role_rssi_tour", {
    steps: () => [
        {
            content: "The RSSI lands on the cyber matrix",
            trigger: '.o_breadcrumb:contains("Matrice cyber")',
        },
        ...inTheApp([FLEET, APPROVALS, ["dm_cyber.dm_menu_cyber", "Cyber"]]),
        {
            content: "Switch to the list of the cyber matrix",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the connected device",
            trigger: `${row(RSSI_DEVICE)} td[name="name"]`,
            run: "click",
        },
        {
            content: "Its cyber risk is rated",
            trigger: `${form} .o_field_widget[name="cyber_risk_level"]`,
        },
        ...approveOnTheDocument("The network connection"),
        {
            content: "Open its approvals",
            trigger: tab("dm_approvals", "Approbations"),
            run: "click",
        },
        {
            content: "The network connection is approved",
            trigger: `.o_field_one2many[name="approval_ids"] .o_data_row:contains("Approuvé"):not(:has(button[name="action_open_approve_wizard"]))`,
        },
    ],
});

// ---------------------------------------------------------------------- DPO
const DPO_DISPOSAL = "RF-TOUR-DPO";
registry.category("web_tour.tours").add("dm_role_dpo_tour", {
    steps: () => [
        {
            content: "The DPO lands on My approvals",
            trigger: '.o_breadcrumb:contains("Mes approbations")',
        },
        ...inTheApp([FLEET, APPROVALS, DISPOSAL]),
        {
            content: "The erasure to sign off is listed: open its disposal",
            trigger: `${row(DPO_DISPOSAL)} button[name="action_open_document"]`,
            run: "click",
        },
        {
            content: "The disposal awaits the DPO's sign-off",
            trigger: `${form} .o_statusbar_status button[data-value="sign_off"][aria-checked="true"]`,
        },
        {
            content: "Open the verification",
            trigger: tab("approvals", "Vérification et visa"),
            run: "click",
        },
        {
            content: "Verified by the RSSI",
            trigger: `${form} .o_field_widget[name="verified_by_id"]:contains("Nicolas Bernard")`,
        },
        {
            content: "Sign off",
            trigger: button("action_sign_off", "Viser"),
            run: "click",
        },
        {
            content: "The device is ready to be disposed of",
            trigger: statusbar("ready", "Prêt à réformer"),
        },
    ],
});

// ------------------------------------------------------------------ auditor
const AUDIT_DEVICE = "Tour Rôle Pousse-seringue";
registry.category("web_tour.tours").add("dm_role_auditor_tour", {
    steps: () => [
        {
            content: "The auditor lands on the device list",
            trigger: '.o_breadcrumb:contains("Liste des dispositifs")',
        },
        ...inTheApp([FLEET, APPROVALS, DISPOSAL]),
        {
            content: "Nothing to create",
            trigger: ".o_control_panel:not(:has(.o_list_button_add))",
        },
        {
            content: "Open a device",
            trigger: `${row(AUDIT_DEVICE)} td[name="name"]`,
            run: "click",
        },
        {
            content: "Its form is read-only",
            trigger: `${form} .o_form_renderer.o_form_readonly`,
        },
        {
            content: "No step button in the header",
            trigger: `${form} .o_form_statusbar:not(:has(.o_statusbar_buttons button[name]))`,
        },
        {
            content: "Open its regulatory identity",
            trigger: tab("dm_regulatory", "Identité réglementaire"),
            run: "click",
        },
        {
            content: "The CE marking, read-only",
            trigger: `${form}:contains("Marquage CE") .o_field_widget[name="ce_certificate_ref"]:not(:has(input))`,
        },
        {
            content: "Open its approvals",
            trigger: tab("dm_approvals", "Approbations"),
            run: "click",
        },
        {
            content: "The DPO's approval is pending, with no decision button",
            trigger:
                `.o_field_one2many[name="approval_ids"] .o_data_row:contains("En attente")` +
                `:not(:has(button[name="action_open_approve_wizard"]))`,
        },
        {
            content: "No decision anywhere on the document",
            trigger: `${form}:not(:has(button[name="action_open_approve_wizard"])):not(:has(button[name="action_open_reject_wizard"]))`,
        },
        {
            content: "Go to the lifecycle kanban through the Parc section",
            trigger: menuSection(...FLEET),
            run: "click",
        },
        {
            content: "Devices lifecycle",
            trigger: menuItem("medical_device.maintenance_equipment_menu_medical_devices", "Cycle de vie des dispositifs"),
            run: "click",
        },
        {
            content: "The kanban's columns are French, with nothing to create",
            trigger:
                `.o_action_manager:not(:has(.o-kanban-button-new)) .o_kanban_renderer ` +
                `${column("Acquisition")} .o_kanban_record:contains("${AUDIT_DEVICE}")`,
        },
    ],
});
