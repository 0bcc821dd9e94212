// Edge face of jobs: the queue for Edge Functions (Deno) and other modules'
// web-standard code that enqueues work or defines a kind's handler.
export {
  DEFAULTS,
  enqueueJob,
  type EnqueueInput,
  type Job,
  type JobContext,
  type JobHandler,
  type JobNetwork,
  PermanentJobError,
  type RunOptions,
  type RunSummary,
  runJobs,
  type SqlClient,
} from "./runner.ts";
export { keepDaysOf, pruneJobs } from "./prune.ts";
export { type InboundWebhook, inboundRefusal, type RawBody, readRawBody, receiveInbound, type TransactionalSql } from "./inbound.ts";
