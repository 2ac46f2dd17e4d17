import { registry } from "@web/core/registry";

// Fixture: dm_cyber/tests/test_tour_kanban.py. Runs as a biomedical engineer on
// the lifecycle kanban.
const CRITICAL = ".o_kanban_record:contains('Tour KB Critical Pump')";
const UNASSESSED = ".o_kanban_record:contains('Tour KB Unassessed Monitor')";

registry.category("web_tour.tours").add("dm_kanban_tour", {
    url: "/odoo/medical-devices",
    steps: () => [
        {
            content: "PIEU criticality: a labelled badge in its own colour",
            trigger: `${CRITICAL} .o_dm_pieu_badge.text-bg-dark:contains('PIEU criticality: Very critical')`,
        },
        {
            content: "Cyber risk: a labelled badge in the red family, not the PIEU's",
            trigger: `${CRITICAL} .o_dm_cyber_badge.text-bg-danger:contains('Cyber risk: Critical')`,
        },
        {
            content: "An unanswered matrix is not assessed, not rated",
            trigger: `${UNASSESSED} .o_dm_cyber_badge:not(.text-bg-danger):contains('Cyber risk: Not assessed')`,
        },
        {
            content: "No PIEU factors: not assessed, no score",
            trigger: `${UNASSESSED} .o_dm_pieu_badge:contains('PIEU criticality: Not assessed')`,
        },
        {
            content: "The disposed (archived) device is in the Disposed column",
            trigger:
                ".o_kanban_group:has(.o_kanban_header:contains('Disposed')) " +
                ".o_kanban_record:contains('Tour KB Disposed Scanner')",
        },
    ],
});
