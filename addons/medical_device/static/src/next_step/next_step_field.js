import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { pick } from "@web/core/utils/objects";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { Component, useRef } from "@odoo/owl";

const nextFrame = () => new Promise((resolve) => setTimeout(resolve, 30));

/**
 * The "next step" panel of a gated document (field ``dm_next_step``, computed
 * on the server from the same checklist as the gate): the conditions of the
 * next step, met or missing, each opening the page of the form where it is
 * fixed, and the step's button, always shown, enabled only when the server
 * would let the current user take it. The click runs the server action, which
 * checks everything again.
 */
export class DmNextStepField extends Component {
    static template = "medical_device.DmNextStepField";
    static props = { ...standardFieldProps };

    setup() {
        this.rootRef = useRef("root");
    }

    get step() {
        return this.props.record.data[this.props.name];
    }

    get missingItems() {
        return this.step.items.filter((item) => !item.met);
    }

    get reasons() {
        return [...this.step.blockers, ...this.missingItems.map((item) => item.label)];
    }

    get buttonTitle() {
        if (this.step.ready) {
            return "";
        }
        return _t("Not possible yet: %s", this.reasons.join("; "));
    }

    get isDirty() {
        return this.props.record.dirty;
    }

    async openItem(item) {
        const form = this.rootRef.el?.closest(".o_form_renderer") || document;
        if (item.page) {
            const tab = form.querySelector(`.o_notebook .nav-link[name="${item.page}"]`);
            if (tab && !tab.classList.contains("active")) {
                tab.click();
            }
        }
        if (!item.field) {
            return;
        }
        // The page renders its content once active.
        for (let attempt = 0; attempt < 10; attempt++) {
            await nextFrame();
            const target = form.querySelector(`.o_field_widget[name="${item.field}"]`);
            if (target) {
                target.scrollIntoView({ block: "center", behavior: "smooth" });
                const input = target.querySelector("input:not([disabled]), textarea, select");
                input?.focus({ preventScroll: true });
                target.classList.add("o_dm_next_step_target");
                setTimeout(() => target.classList.remove("o_dm_next_step_target"), 2000);
                return;
            }
        }
    }

    async onClick() {
        if (!this.step.ready) {
            return;
        }
        const { button } = this.step;
        await this.env.onClickViewButton({
            clickParams: {
                type: "object",
                name: button.name,
                ...(button.confirm && { confirm: button.confirm }),
            },
            getResParams: () =>
                pick(this.props.record, "context", "evalContext", "resModel", "resId", "resIds"),
        });
    }
}

export const dmNextStepField = {
    component: DmNextStepField,
    displayName: _t("Next step"),
    supportedTypes: ["json"],
};

registry.category("fields").add("dm_next_step", dmNextStepField);
