// Starts the NHS.UK frontend components (header menu, error summary focus, checkboxes...).
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";
import { initFilterToggles } from "./filter-toggle.js";

initAll();
initFilterToggles();
