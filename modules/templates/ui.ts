// Browser-safe face of templates: the picker of the compose drawers, the
// settings editor, their server actions, the input schema and the variables.
export { TemplatePicker } from "./components/template-picker";
export { type TemplateDraft, TemplateEditor } from "./components/template-editor";
export { ArchiveTemplateButton } from "./components/archive-button";
export {
  archiveTemplateAction,
  createTemplateAction,
  fillTemplateAction,
  listTemplatesAction,
  previewTemplateAction,
  searchPreviewRecordsAction,
  updateTemplateAction,
} from "./actions";
export { TEMPLATE_VARIABLES, type VariableKey } from "./engine";
export { CHANNEL_LABELS, TEMPLATE_CHANNELS, type TemplateChannel, type TemplateInput, templateInputSchema } from "./schema";
