// Server face of crm/lists: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { listMemberOptions } from "./members";
export { idIn, searchCandidates, textFilterTerms } from "./narrow";
export { applyListPlan, containsText, countMatching, isListQueryError, listQueryError, MAX_PAGE_SIZE, pageFromRows } from "./query";
export { listViews, viewLinkHref } from "./views/queries";
export { type ObjectType, type SavedView } from "./views/schema";
