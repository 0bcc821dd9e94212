// Browser-safe face of crm/search: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { type MatchPart, matchParts } from "./highlight";
export { matchesWords, quickActionsFor } from "./quick-actions";
export { SEARCH_MATCH_LABELS, type SearchHit, type SearchMatchField, searchQuerySchema } from "./schema";
export { useRecordSearch } from "./use-record-search";
