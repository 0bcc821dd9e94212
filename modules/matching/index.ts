// Server face of matching: what server code outside the module (pages, the
// REST API, other modules) may use. Client components take only types here.
export { MatchesPanel } from "./components/matches-panel";
export { type Criterion, explain, fit, type Fit, type MatchSubject, type Reason } from "./criteria";
export { type DealMatch, listCriteria, listDealMatches, type MatchHistoryEntry, type MatchSetting, matchSettingFor, matchSuggestions, mayMatch, type Suggestion } from "./queries";
export { advanceMatch, declineMatch, proposeMatch } from "./service";
