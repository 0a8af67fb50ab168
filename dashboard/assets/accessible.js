/* What Dash 4's own components get wrong for keyboards and screen readers, mended in the page.

   - A dropdown is reached by Tab through a hidden proxy input (aria-hidden, yet focusable) that
     hands the focus on to the dropdown's button, which itself is out of the tab order. Here the
     button is in the tab order and the proxy is not (it stays focusable for Dash's own code).
   - Radio items and checklists are drawn as a "listbox" of "option"s that each hold a native
     radio or checkbox: interactive controls nested in interactive roles. Here the native controls
     speak for themselves (our layouts name each group with a fieldset and its legend).
   - The file input of an upload zone has no name: it gets the zone's own words.

   React sets these attributes only when their props change, so a change made here lasts until
   the component is drawn anew, which the observer below catches. */
(function () {
    function mend(root) {
        root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (proxy) {
            if (proxy.tabIndex !== -1) { proxy.tabIndex = -1; }
            var button = proxy.nextElementSibling;
            if (button && !button.disabled && button.tabIndex !== 0) { button.tabIndex = 0; }
        });
        root.querySelectorAll(".dash-radioitems[role='listbox'], .dash-checklist[role='listbox']").forEach(function (list) {
            list.removeAttribute("role");
            list.querySelectorAll("[role='option']").forEach(function (option) {
                option.removeAttribute("role");
                option.removeAttribute("aria-selected");
            });
        });
        root.querySelectorAll("input[type='file']:not([aria-label])").forEach(function (input) {
            var zone = input.parentElement;
            if (zone && zone.textContent.trim()) { input.setAttribute("aria-label", zone.textContent.trim()); }
        });
    }
    var pending = false;
    new MutationObserver(function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () { pending = false; mend(document); });
    }).observe(document.documentElement, {
        childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex", "role"]
    });
    document.addEventListener("DOMContentLoaded", function () { mend(document); });
})();
