// Server face of crm/dates: what pages, route handlers and other modules' services may use.
export { DealDatesPanel } from "./components/deal-dates-panel";
export { UpcomingDates } from "./components/upcoming-dates";
export { type DateKind, type DealDate, listDateKinds, listDealDates, UPCOMING_DAYS, type UpcomingDate, upcomingDates } from "./queries";
export { addDealDate, deleteDealDate, updateDealDate } from "./service";
