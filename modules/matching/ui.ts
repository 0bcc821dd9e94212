// Browser-safe face of matching: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { advanceMatchAction, declineMatchAction, matchSuggestionsAction, proposeMatchAction } from "./actions";
export { MatchStepButtons, ProposeMatchButton } from "./components/match-controls";
export { type CriterionOperator, type Outcome } from "./criteria";
export { advanceMatchSchema, declineMatchSchema, isOpenStatus, MATCH_FLOW, MATCH_STATUSES, type MatchSide, type MatchStatus, nextStatus, proposeMatchSchema, statusLabel } from "./schema";
