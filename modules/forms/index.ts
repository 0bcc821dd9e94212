// Server face of forms: what server code outside the module (pages, route
// handlers) may use. Client components take only types here.
export { Counts, FormPreview, OutcomeBadge, SubmissionsTable } from "./components/form-views";
export { answerPreflight, receiveSubmission, serveFillToken, serveFormPage } from "./endpoint";
export { turnstileWidget } from "./turnstile";
export { type FormDetail, type FormSummary, getForm, listForms, listLeadCustomFields, listSubmissions } from "./queries";
