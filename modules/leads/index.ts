// Server face of leads: what server code outside the module (pages, route
// handlers, jobs, other modules) may use. Client components take only types here.
export { getLead, type LeadDetail, leadName, type LeadSource, type LeadStatus, type LeadStatusChange, leadStatusHistory, listLeadSources, listLeadStatuses } from "./queries";
export { archiveLeads, assignLeads, type Conversion, convertLead, createLead, deleteLeads, findPersonFor, restoreLeads, setLeadStatus, updateLead, updateLeadField } from "./service";
export { type ExternalLead, upsertExternalLead } from "./ingest";
export { sqlClientOf } from "./tx-client";
