// Browser-safe face of crm/import: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { ImportOutcome } from "./components/import-outcome";
export { ImportWizard } from "./components/import-wizard";
export { UndoImportButton } from "./components/undo-button";
export { UploadForm } from "./components/upload-form";
export { type ImportObject, OBJECT_LABELS } from "./fields";
