// The body of a webhook: the event, and the record as the REST API returns it.
import { isObjectType, represent, representedFields } from "../api/edge.ts";

/** A domain_events row as the dispatcher claims it. */
export interface WebhookEvent {
  event_id: string;
  event_type: string;
  org_id: string;
  occurred_at: Date | string;
  object_type: string;
  object_id: string;
  data: Record<string, unknown>;
  changes: Record<string, unknown>;
  actor_type: string;
  actor_id: string | null;
}

export interface WebhookPayload {
  type: string;
  timestamp: string;
  id: string;
  org_id: string;
  data: Record<string, unknown>;
  changes: Record<string, unknown>;
  actor: { type: string; id: string | null };
}

// Changes name DB columns; integrators see only the fields of the record's
// representation (custom fields as `custom.<key>`, a move's `reason`). A
// null entry is a field that did not change alongside the one that did.
function publicChanges(objectType: string, changes: Record<string, unknown>): Record<string, unknown> {
  const fields = isObjectType(objectType) ? new Set(representedFields(objectType)) : null;
  return Object.fromEntries(
    Object.entries(changes).filter(
      ([k, v]) => v !== null && (!fields || fields.has(k) || k.startsWith("custom.") || k === "reason"),
    ),
  );
}

export function buildPayload(ev: WebhookEvent): WebhookPayload {
  return {
    type: ev.event_type,
    timestamp: new Date(ev.occurred_at).toISOString(),
    id: ev.event_id,
    org_id: ev.org_id,
    // Events about other things than CRM records (webhook.test,
    // integration.*) carry their data as written.
    data: isObjectType(ev.object_type) ? represent(ev.object_type, ev.data) : ev.data,
    changes: publicChanges(ev.object_type, ev.changes ?? {}),
    actor: { type: ev.actor_type, id: ev.actor_id },
  };
}
