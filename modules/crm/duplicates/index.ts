// Server face of crm/duplicates: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { DuplicatesReview } from "./components/duplicates-review";
export { canMerge } from "./merge";
export { findDuplicatePairs } from "./queries";
