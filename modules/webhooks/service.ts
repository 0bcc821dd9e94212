// Webhook endpoint settings: plain functions (no Next request context) so
// server actions and tests share them. The database enforces owner/admin
// again (RLS and the security-definer functions' role checks).

import { lookup } from "node:dns/promises";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { can, type Role } from "@/lib/auth/permissions";
import { type Claims, type Database, sql } from "@/lib/db";
import { isRaised, pgError } from "@/lib/db/errors";
import { getEndpointSecret } from "./queries";
import {
  endpointIdSchema,
  endpointSchema,
  replaySchema,
  rotateSecretSchema,
  setEnabledSchema,
  updateEndpointSchema,
} from "./schema";
import { checkUrl, type Resolver } from "./ssrf";

export interface Actor {
  claims: Claims;
  orgId: string;
  role: Role;
}

const NOT_ALLOWED = fail("Only owners and admins can manage webhooks.");
const NOT_FOUND = fail("This webhook endpoint no longer exists.");
const DNS_TIMEOUT_MS = 3000;

/**
 * Receivers on this machine are expected only on the embedded runtime: it
 * starts the app with COVEY_EMBEDDED and the dispatcher with
 * COVEY_WEBHOOKS_ALLOW_LOOPBACK.
 */
export function loopbackAllowed(): boolean {
  return process.env.COVEY_WEBHOOKS_ALLOW_LOOPBACK === "1" || process.env.COVEY_EMBEDDED === "1";
}

const resolve: Resolver = (host) =>
  Promise.race([
    lookup(host, { all: true, verbatim: true }).then((as) => as.map((a) => a.address)),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("dns timeout")), DNS_TIMEOUT_MS)),
  ]);

/**
 * The deployment's URL policy at save time: https, and no internal
 * addresses. A name that does not resolve (yet) is accepted, since DNS can
 * change; the dispatcher applies the same guard to every attempt.
 */
async function urlProblem(url: string): Promise<string | null> {
  const check = await checkUrl(url, { allowLoopback: loopbackAllowed(), resolve });
  if (check.ok) return null;
  // Loopback receivers are recognised without DNS, so an unresolved host
  // still has to be https.
  const unresolved = check.reason.startsWith("dns:");
  if (check.reason === "https is required" || (unresolved && new URL(url).protocol === "http:")) {
    return "The URL must start with https://";
  }
  return unresolved ? null : `This URL cannot receive webhooks: ${check.reason}`;
}

function refusal(e: unknown): ActionResult<never> {
  const err = pgError(e);
  if (err?.code === "P0002") return NOT_FOUND;
  if (isRaised(e) && err?.message) return fail(err.message);
  throw e;
}

export async function createEndpoint(db: Database, actor: Actor, input: unknown): Promise<ActionResult<{ id: string }>> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = endpointSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const v = parsed.data;
  const problem = await urlProblem(v.url);
  if (problem) return fail(problem, { url: problem });
  try {
    const row = await db.asUser(actor.claims, (tx) =>
      tx
        .insertInto("webhook_endpoints")
        .values({ org_id: actor.orgId, url: v.url, description: v.description, event_types: v.eventTypes })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    return ok({ id: row.id });
  } catch (e) {
    return refusal(e);
  }
}

export async function updateEndpoint(db: Database, actor: Actor, input: unknown): Promise<ActionResult> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = updateEndpointSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const v = parsed.data;
  const problem = await urlProblem(v.url);
  if (problem) return fail(problem, { url: problem });
  try {
    const res = await db.asUser(actor.claims, (tx) =>
      tx
        .updateTable("webhook_endpoints")
        .set({ url: v.url, description: v.description, event_types: v.eventTypes })
        .where("id", "=", v.id)
        .executeTakeFirst(),
    );
    return res.numUpdatedRows > 0n ? ok() : NOT_FOUND;
  } catch (e) {
    return refusal(e);
  }
}

/**
 * Turning an endpoint off parks its pending deliveries; turning it on clears
 * its failure history and sends them (database triggers).
 */
export async function setEndpointEnabled(db: Database, actor: Actor, input: unknown): Promise<ActionResult> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = setEnabledSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const res = await db.asUser(actor.claims, (tx) =>
    tx.updateTable("webhook_endpoints").set({ enabled: parsed.data.enabled }).where("id", "=", parsed.data.id).executeTakeFirst(),
  );
  return res.numUpdatedRows > 0n ? ok() : NOT_FOUND;
}

/** Deletes the endpoint with its deliveries and attempts. */
export async function deleteEndpoint(db: Database, actor: Actor, input: unknown): Promise<ActionResult> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = endpointIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const res = await db.asUser(actor.claims, (tx) =>
    tx.deleteFrom("webhook_endpoints").where("id", "=", parsed.data.id).executeTakeFirst(),
  );
  return res.numDeletedRows > 0n ? ok() : NOT_FOUND;
}

export async function revealSecret(db: Database, actor: Actor, input: unknown): Promise<ActionResult<{ secret: string }>> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = endpointIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const row = await db.asUser(actor.claims, (tx) => getEndpointSecret(tx, parsed.data.id));
  return row ? ok({ secret: row.secret }) : NOT_FOUND;
}

/**
 * A new signing secret. The current one keeps signing alongside it (both
 * signatures in `webhook-signature`) for the overlap, so receivers can
 * switch without dropping a delivery.
 */
export async function rotateSecret(
  db: Database,
  actor: Actor,
  input: unknown,
): Promise<ActionResult<{ previousExpiresAt: Date | null }>> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = rotateSecretSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { id, overlapHours } = parsed.data;
  const { rows } = await db.asUser(actor.claims, (tx) =>
    sql<{ id: string | null; previous_secret_expires_at: Date | null }>`
      select id, previous_secret_expires_at
      from public.rotate_webhook_secret(${id}, make_interval(hours => ${overlapHours}))`.execute(tx),
  );
  // A function returning a row type yields one all-null row when nothing matched.
  if (!rows[0]?.id) return NOT_FOUND;
  return ok({ previousExpiresAt: rows[0].previous_secret_expires_at });
}

/** Queues a `webhook.test` event for this endpoint only; returns its webhook-id. */
export async function sendTestEvent(db: Database, actor: Actor, input: unknown): Promise<ActionResult<{ eventId: string }>> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = endpointIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const { rows } = await db.asUser(actor.claims, (tx) =>
      sql<{ event_id: string }>`select public.send_webhook_test(${parsed.data.id}) as event_id`.execute(tx),
    );
    return ok({ eventId: rows[0].event_id });
  } catch (e) {
    return refusal(e);
  }
}

/**
 * Dead letters back to pending with a fresh retry schedule: the given ones
 * or all of the endpoint's. Returns how many; 0 when none were dead (any
 * more). A disabled endpoint's replays wait until it is enabled.
 */
export async function replayDeliveries(db: Database, actor: Actor, input: unknown): Promise<ActionResult<{ replayed: number }>> {
  if (!can(actor.role, "webhooks.manage")) return NOT_ALLOWED;
  const parsed = replaySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { id, deliveryIds } = parsed.data;
  return db.asUser(actor.claims, async (tx) => {
    const endpoint = await tx.selectFrom("webhook_endpoints").select("id").where("id", "=", id).executeTakeFirst();
    if (!endpoint) return NOT_FOUND;
    const ids = deliveryIds ? sql`${`{${deliveryIds.join(",")}}`}::bigint[]` : sql`null`;
    const { rows } = await sql<{ n: number }>`select public.replay_webhook_deliveries(${id}, ${ids}) as n`.execute(tx);
    return ok({ replayed: rows[0].n });
  });
}
