// Browser-safe face of crm/dates: components, server actions, schemas and helpers.
export { addDealDateAction, deleteDealDateAction, updateDealDateAction } from "./actions";
export { ImportantDates } from "./components/important-dates";
export { UpcomingDatesCard } from "./components/upcoming-dates-card";
export { countdown, daysBetween } from "./countdown";
export { type DealDateInput, dealDateSchema, REMIND_CHOICES, remindLabel } from "./schema";
