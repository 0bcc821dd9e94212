// Server face of crm/timeline: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { RecordTimeline } from "./components/record-timeline";
export { countTimeline, listTimeline, type TimelineCounts } from "./queries";
export { activityFromParam, TIMELINE_ACTIVITIES, type TimelineActivity, timelineActivitySchema } from "./schema";
