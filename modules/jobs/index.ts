// Server face of jobs: enqueue background work from server code (a postgres.js
// connection as service_role), and the types a kind's handler is written to.
export { enqueueJob, type EnqueueInput, type Job, type JobContext, type JobHandler, PermanentJobError, runJobs, type SqlClient } from "./runner";
