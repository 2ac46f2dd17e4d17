// Steps shared by the suite's tours.

// Picks `label` in the select menu of `field`. The edit of a field before
// it sends an onchange whose answer re-renders the form and may close the
// menu just opened: open it again until the item shows (a click on a closed
// menu would wait for nothing).
export function pickInSelectMenu(field, label, content) {
    return {
        content,
        trigger: `.o_form_view .o_field_widget[name=${field}] .o_select_menu_toggler`,
        async run() {
            const toggler = () =>
                document.querySelector(
                    `.o_form_view .o_field_widget[name=${field}] .o_select_menu_toggler`
                );
            for (let attempt = 0; attempt < 40; attempt++) {
                const item = [...document.querySelectorAll(".o_select_menu_item")].find(
                    (element) => element.textContent.includes(label)
                );
                if (item) {
                    item.click();
                    return;
                }
                if (!document.querySelector(".o_select_menu_menu")) {
                    toggler()?.click();
                }
                await new Promise((resolve) => setTimeout(resolve, 250));
            }
            throw new Error(`${label} is not in the menu of ${field}`);
        },
    };
}
