// Browser-safe face of forms: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { DeleteFormButton } from "./components/delete-form-button";
export { type CustomFieldChoice, FormEditor } from "./components/form-editor";
export { SnippetPanel } from "./components/snippet-panel";
export { DEFAULT_FORM, FIELD_TYPES, type FormField, type FormInput, formInputSchema, LEAD_FIELDS } from "./schema";
export { embedSnippet } from "./snippet";
