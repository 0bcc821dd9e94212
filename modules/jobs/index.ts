// Server face of jobs: enqueue background work from server code (a postgres.js
// connection as service_role), the types a kind's handler is written to, and
// what Settings → Jobs reads and does.
export { enqueueJob, type EnqueueInput, type Job, type JobContext, type JobHandler, PermanentJobError, runJobs, type SqlClient } from "./runner";
export { countJobs, type JobAttemptRow, type JobRow, JOBS_PAGE, listJobAttempts, listJobs } from "./queries";
export { discardJob, retryJob } from "./service";
