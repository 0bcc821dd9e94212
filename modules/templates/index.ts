// Server face of templates: the org's message templates and the variable
// engine that fills them, for pages and for the sms and gmail sends.
export {
  archiveTemplate,
  createTemplate,
  fillForSend,
  fillTemplate,
  type FilledTemplate,
  getTemplate,
  listTemplates,
  type MessageTemplate,
  previewRecords,
  type PreviewRecord,
  previewTemplate,
  type TemplatePreview,
  recordValues,
  updateTemplate,
} from "./service";
export { problemsOf, render, TEMPLATE_VARIABLES, type VariableKey, type VariableValues } from "./engine";
