// inbound_events.prune: raw webhook deliveries hold personal data and are
// only needed while their jobs may still run; private.prune_inbound_events
// drops them, and the Twilio call callbacks kept beside them, after 30 days. Scheduled daily by migration 20261207115000.
import type { JobHandler } from "../jobs/edge.ts";

export const PRUNE_INBOUND_EVENTS_JOB = "inbound_events.prune";

export const pruneInboundEvents: JobHandler = async (_job, { sql }) => {
  await sql.unsafe("select private.prune_inbound_events()");
};
