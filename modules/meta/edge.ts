// Web-standard face of meta, for code Edge Functions and jobs run (Deno):
// the Graph API adapter and the field mapping.
export { appSecretProof, GraphError, graphClient, type GraphClient, type GraphLead, metaConfig, type MetaConfig } from "./graph.ts";
export { mapFieldData, type FieldMapping } from "./mapping.ts";
export { tokenVerdict, type TokenVerdict } from "./token-status.ts";
export { fetchMetaLead } from "./fetch-lead.ts";
export { FETCH_LEAD_JOB, handleMetaWebhook, signMetaPayload } from "./webhook.ts";
export { checkMetaTokens, TOKEN_CHECK_JOB } from "./token-check.ts";
export { SEND_CONVERSION_JOB, SEND_CONVERSIONS_JOB, sendMetaConversion, sendMetaConversions } from "./conversions.ts";
export { PRUNE_INBOUND_EVENTS_JOB, pruneInboundEvents } from "./prune-inbound.ts";
export { IMPORT_AD_SPEND_JOB, importAdSpend, SCHEDULE_AD_SPEND_JOB, scheduleAdSpendImports } from "./ad-spend-import.ts";
