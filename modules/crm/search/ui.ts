// Browser-safe face of crm/search: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { matchesWords, quickActionsFor } from "./quick-actions";
export { type SearchHit, searchQuerySchema } from "./schema";
export { useRecordSearch } from "./use-record-search";
