// Browser-safe face of meta: client components, server actions, schemas and labels.
export { ConnectPageDialog } from "./components/connect-page-dialog";
export { DatasetForm } from "./components/dataset-form";
export { CreatesLeadsToggle, MappingDialog } from "./components/form-controls";
export { DisconnectPageButton, TestConnectionButton } from "./components/page-actions";
export { DEFAULT_MAPPING, type FieldMapping, LEAD_TARGETS, type MappingTarget, TARGET_LABELS } from "./mapping";
export { TOKEN_STATUS_LABELS, type TokenStatus } from "./token-status";
export { DevMetaLeadForm } from "./components/dev-lead-form";
export { ConversionStagesForm } from "./components/conversion-stages";
export { AdAccountActions, AdAccountEnabledToggle, ConnectAdAccountDialog } from "./components/ad-account-controls";
