// Browser-safe face of leads: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { archiveLeadsAction, assignLeadsAction, convertLeadAction, createLeadAction, deleteLeadsAction, editLeadCell, restoreLeadsAction, setLeadStatusAction } from "./actions";
export { ConvertLeadButton, type ConvertPipeline } from "./components/convert-lead-button";
export { LeadStatusPicker } from "./components/lead-status-picker";
export { NewLeadButton } from "./components/new-lead-button";
export { convertLeadSchema, leadCreateSchema, leadUpdateSchema, leadUpsertSchema } from "./schema";
export { LeadSettings } from "./components/lead-settings";
export { addLeadSourceAction, addLeadStatusAction, archiveLeadSourceAction, archiveLeadStatusAction, renameLeadSourceAction, reorderLeadStatusesAction, restoreLeadSourceAction, restoreLeadStatusAction, setLeadSourceDealStageAction, updateLeadStatusAction } from "./settings-actions";
export { SourceDealTargets } from "./components/source-deal-targets";
export { sourceDealStageSchema } from "./source-deals-schema";
export { CATEGORY_LABELS, keyFromLabel, LEAD_STATUS_CATEGORIES, type LeadStatusCategory } from "./settings-schema";
