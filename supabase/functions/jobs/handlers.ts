// Every job kind the queue runs, and its handler. A module adds its kinds
// here, importing the handler from its own edge.ts (web-standard code Deno
// runs). A job of a kind not listed is dead-lettered ("unknown_kind").
import { type JobHandler, pruneJobs } from "../../../modules/jobs/edge.ts";

export const handlers: Record<string, JobHandler> = {
  "jobs.prune": pruneJobs,
};
