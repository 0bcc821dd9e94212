// Server face of crm/dashboard: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { MyTasksCard, NewPeopleCard, OpenDealsCard, RecentTimelineCard } from "./components/dashboard-cards";
export { DashboardSkeleton } from "./components/dashboard-skeleton";
export { loadDashboard } from "./queries";
