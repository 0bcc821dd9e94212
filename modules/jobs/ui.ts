// Browser face of jobs: Settings → Jobs' table, its actions and views.
export { discardJobAction, retryJobAction } from "./actions";
export { type JobItem, JobsTable, LiveRefresh } from "./components/jobs-table";
export { JOB_VIEW_HINTS, JOB_VIEW_LABELS, JOB_VIEWS, type JobView, jobView } from "./views";
