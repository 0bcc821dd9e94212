// Server face of leads: what server code outside the module (pages, route
// handlers, jobs, other modules) may use. Client components take only types here.
export { type ExternalLead, upsertExternalLead } from "./ingest";
export { builtInLeadFields, countLeads, leadListFields, type LeadRow, listLeads } from "./list";
export { getLead, type LeadDetail, leadName, type LeadSource, type LeadStatus, type LeadStatusChange, leadStatusHistory, listLeadSources, listLeadStatuses, offeredFor } from "./queries";
export { archiveLeads, assignLeads, type Conversion, convertLead, createLead, deleteLeads, findPersonFor, restoreLeads, setLeadStatus, updateLead, updateLeadField, upsertLead } from "./service";
export { sqlClientOf } from "./tx-client";
export { addLeadSource, addLeadStatus, archiveLeadSource, archiveLeadStatus, type LeadSourceSetting, type LeadStatusSetting, listLeadSettings, renameLeadSource, reorderLeadStatuses, restoreLeadSource, restoreLeadStatus, updateLeadStatus } from "./settings";
export { listSourceDealTargets, setLeadSourceDealStage, type SourceDealTarget } from "./source-deals";
export { DealLeadSources } from "./components/deal-lead-sources";
export { type DealLeadSource, listDealLeadSources } from "./source-deals";
