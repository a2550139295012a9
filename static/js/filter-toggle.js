// On a small screen, a long filter form folds away behind one button, so the results come
// first. Without JavaScript the button stays hidden and the form is always shown; on a wide
// screen the CSS hides the button and shows the form whatever its state.
export function initFilterToggles(scope = document) {
  for (const toggle of scope.querySelectorAll('[data-module="app-filter-toggle"]')) {
    const panel = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) continue;

    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("app-filters--closed", !open);
    };
    // A form with an error stays open: the error summary links into it.
    setOpen(panel.querySelector(".nhsuk-form-group--error") !== null);
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
  }
}
