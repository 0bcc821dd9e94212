// Edge face of leads: what code that Edge Functions (Deno) and jobs also run
// may import, web-standard files with explicit .ts imports.
export { type Attribution, type ExternalLead, type ExternalLeadFields, normalizeLeadFields, type SqlClient, upsertExternalLead, type Utm } from "./ingest.ts";
export { findRecordByPhone } from "./phone-match.ts";
