import { z } from "zod";
import { zString } from "@/lib/validation";

/**
 * The event types an endpoint can subscribe to, per family: exactly the types
 * the database emits (private.domain_event_types(), which every writer of
 * domain_events is held to; event-types.int.test.ts checks the two agree and
 * that each type fires).
 */
export const WEBHOOK_EVENT_CATALOG = [
  {
    family: "person",
    label: "People",
    noun: "people",
    types: [
      "person.created",
      "person.updated",
      "person.archived",
      "person.restored",
      "person.merged",
      "person.deleted",
    ],
  },
  {
    family: "company",
    label: "Companies",
    noun: "company",
    types: [
      "company.created",
      "company.updated",
      "company.archived",
      "company.restored",
      "company.merged",
      "company.deleted",
    ],
  },
  {
    family: "deal",
    label: "Deals",
    noun: "deal",
    types: [
      "deal.created",
      "deal.updated",
      "deal.moved",
      "deal.won",
      "deal.lost",
      "deal.archived",
      "deal.restored",
      "deal.deleted",
      "deal.handoff_submitted",
      "deal.handoff_accepted",
      "deal.handoff_denied",
    ],
  },
  {
    family: "task",
    label: "Tasks",
    noun: "task",
    types: ["task.created", "task.updated", "task.completed", "task.archived", "task.restored", "task.deleted"],
  },
  {
    family: "note",
    label: "Notes",
    noun: "note",
    types: ["note.created", "note.updated", "note.deleted"],
  },
  {
    family: "lead",
    label: "Leads",
    noun: "lead",
    types: [
      "lead.created",
      "lead.updated",
      "lead.status_changed",
      "lead.converted",
      "lead.archived",
      "lead.restored",
      "lead.deleted",
    ],
  },
  { family: "email", label: "Email", noun: "email", types: ["email.sent", "email.failed", "email.received"] },
  { family: "sms", label: "SMS", noun: "SMS", types: ["sms.received", "sms.sent", "sms.delivered", "sms.failed"] },
  { family: "call", label: "Calls", noun: "call", types: ["call.logged", "call.started", "call.ended", "call.recorded"] },
  { family: "match", label: "Matches", noun: "match", types: ["match.proposed", "match.status_changed", "match.matched", "match.declined"] },
  { family: "integration", label: "Integrations", noun: "integration", types: ["integration.webhook_disabled"] },
] as const satisfies readonly { family: string; label: string; noun: string; types: readonly string[] }[];

export type WebhookEventFamily = (typeof WEBHOOK_EVENT_CATALOG)[number]["family"];

/** Every event except the endpoint's own test events. */
export const ALL_EVENTS = "*";

const FAMILIES = new Set<string>(WEBHOOK_EVENT_CATALOG.map((f) => f.family));
const TYPES = new Set<string>(WEBHOOK_EVENT_CATALOG.flatMap((f) => f.types));

/** `*`, a family wildcard (`deal.*`) or a type of the catalog. */
export function isKnownEventType(t: string): boolean {
  if (t === ALL_EVENTS || TYPES.has(t)) return true;
  const m = /^([a-z_]+)\.\*$/.exec(t);
  return !!m && FAMILIES.has(m[1]);
}

/**
 * The smallest equivalent subscription: `*` alone if chosen, and no exact
 * type whose family wildcard is chosen too. Order follows the catalog.
 */
export function normalizeEventTypes(types: readonly string[]): string[] {
  const chosen = new Set(types);
  if (chosen.has(ALL_EVENTS)) return [ALL_EVENTS];
  const out: string[] = [];
  for (const f of WEBHOOK_EVENT_CATALOG) {
    if (chosen.has(`${f.family}.*`)) out.push(`${f.family}.*`);
    else out.push(...f.types.filter((t) => chosen.has(t)));
  }
  return out;
}

// The database keeps the same shape (webhook_endpoints_url_check); here the
// message names what is wrong. Whether http and which hosts are allowed
// depends on the deployment and is checked on the server (service.ts).
// Partners' webhooks (modules/routing) take the same URLs.
export const webhookUrlSchema = zString("The URL", { error: "Enter the endpoint's URL" })
  .trim()
  .min(1, "Enter the endpoint's URL")
  .max(2000, "The URL is too long (at most 2,000 characters)")
  .superRefine((value, ctx) => {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a full URL, e.g. https://example.com/webhooks" });
      return;
    }
    if (u.protocol !== "https:" && u.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "The URL must start with https://" });
    } else if (u.username || u.password) {
      ctx.addIssue({ code: "custom", message: "Leave credentials out of the URL; verify the signature instead" });
    } else if (!/^https?:\/\/[^\s/?#@]+([/?#]\S*)?$/i.test(value)) {
      ctx.addIssue({ code: "custom", message: "Enter a full URL without spaces, e.g. https://example.com/webhooks" });
    }
  });

const description = zString("The description")
  .trim()
  .max(500, "The description is too long (at most 500 characters)")
  .optional()
  .transform((d) => d || null);

const eventTypes = z
  .array(zString("Event type", { error: "Not an event type" }), { error: "Choose at least one event type" })
  .superRefine((types, ctx) => {
    const unknown = types.filter((t) => !isKnownEventType(t));
    if (unknown.length) {
      ctx.addIssue({ code: "custom", message: `Unknown event type: ${unknown.join(", ")}` });
    }
  })
  .transform(normalizeEventTypes)
  .pipe(z.array(z.string()).min(1, "Choose at least one event type").max(100, "At most 100 event types"));

export const endpointSchema = z.object({ url: webhookUrlSchema, description, eventTypes });
export type EndpointInput = z.input<typeof endpointSchema>;

export const endpointIdSchema = z.object({ id: z.uuid({ error: "Not a webhook endpoint" }) });

export const updateEndpointSchema = endpointSchema.extend(endpointIdSchema.shape);

export const setEnabledSchema = endpointIdSchema.extend({ enabled: z.boolean() });

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAPS = [
  { hours: 0, label: "Expire it now" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
] as const;
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

export const rotateSecretSchema = endpointIdSchema.extend({
  overlapHours: z
    .number()
    .refine((h) => ROTATION_OVERLAPS.some((o) => o.hours === h), "Choose how long the current secret stays valid")
    .default(DEFAULT_ROTATION_OVERLAP_HOURS),
});

export const replaySchema = endpointIdSchema.extend({
  /** Dead deliveries to replay; omitted for all of them. */
  deliveryIds: z
    .array(z.union([z.string().regex(/^\d{1,18}$/), z.number().int().positive()]).transform(String))
    .min(1, "Choose at least one delivery")
    .max(1000, "Replay at most 1,000 deliveries at once, or all of them")
    .optional(),
});

/** Attempt outcomes the delivery log filters on. */
export const ATTEMPT_FILTERS = ["all", "succeeded", "failed"] as const;
export type AttemptFilter = (typeof ATTEMPT_FILTERS)[number];
