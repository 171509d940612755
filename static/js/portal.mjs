// Starts the GOV.UK Frontend components (error summary focus, character counts, ...).
import { initAll } from "../build/js/govuk-frontend.min.js";

initAll();
