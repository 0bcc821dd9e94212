// Webhook endpoint settings: plain functions (no Next request context) so
// server actions and tests share them. The database enforces owner/admin
// again (RLS and the security-definer functions' role checks).

import { lookup } from "node:dns/promises";
import type { z } from "zod";
import type { SessionActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { type Database, sql } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
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

const notAllowed = () => forbidden("Only owners and admins can manage webhooks.");
const gone = () => notFound("This webhook endpoint no longer exists.");
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
export async function urlProblem(url: string): Promise<string | null> {
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

/** The member may manage webhooks and the input parses; else the refusal is thrown. */
function allowedInput<S extends z.ZodType>(actor: SessionActor, schema: S, input: unknown): z.output<S> {
  if (!can(actor.role, "webhooks.manage")) throw notAllowed();
  return parseInput(schema, input);
}

/** A URL the deployment's policy refuses, as a refusal on the field. */
async function checkedUrl(url: string) {
  const problem = await urlProblem(url);
  if (problem) throw fieldError("url", problem);
}

function refusal(e: unknown): never {
  throwRefusal(e, { forbidden: notAllowed, notFound: gone });
}

export async function createEndpoint(db: Database, actor: SessionActor, input: unknown): Promise<{ id: string }> {
  const v = allowedInput(actor, endpointSchema, input);
  await checkedUrl(v.url);
  try {
    const row = await db.asUser(actor.claims, (tx) =>
      tx
        .insertInto("webhook_endpoints")
        .values({ org_id: actor.orgId, url: v.url, description: v.description, event_types: v.eventTypes })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    return { id: row.id };
  } catch (e) {
    refusal(e);
  }
}

export async function updateEndpoint(db: Database, actor: SessionActor, input: unknown): Promise<void> {
  const v = allowedInput(actor, updateEndpointSchema, input);
  await checkedUrl(v.url);
  try {
    const res = await db.asUser(actor.claims, (tx) =>
      tx
        .updateTable("webhook_endpoints")
        .set({ url: v.url, description: v.description, event_types: v.eventTypes })
        .where("id", "=", v.id)
        .executeTakeFirst(),
    );
    if (res.numUpdatedRows === 0n) throw gone();
  } catch (e) {
    refusal(e);
  }
}

/**
 * Turning an endpoint off parks its pending deliveries; turning it on clears
 * its failure history and sends them (database triggers).
 */
export async function setEndpointEnabled(db: Database, actor: SessionActor, input: unknown): Promise<void> {
  const { id, enabled } = allowedInput(actor, setEnabledSchema, input);
  const res = await db.asUser(actor.claims, (tx) =>
    tx.updateTable("webhook_endpoints").set({ enabled }).where("id", "=", id).executeTakeFirst(),
  );
  if (res.numUpdatedRows === 0n) throw gone();
}

/** Deletes the endpoint with its deliveries and attempts. */
export async function deleteEndpoint(db: Database, actor: SessionActor, input: unknown): Promise<void> {
  const { id } = allowedInput(actor, endpointIdSchema, input);
  const res = await db.asUser(actor.claims, (tx) =>
    tx.deleteFrom("webhook_endpoints").where("id", "=", id).executeTakeFirst(),
  );
  if (res.numDeletedRows === 0n) throw gone();
}

export async function revealSecret(db: Database, actor: SessionActor, input: unknown): Promise<{ secret: string }> {
  const { id } = allowedInput(actor, endpointIdSchema, input);
  const row = await db.asUser(actor.claims, (tx) => getEndpointSecret(tx, id));
  if (!row) throw gone();
  return { secret: row.secret };
}

/**
 * A new signing secret. The current one keeps signing alongside it (both
 * signatures in `webhook-signature`) for the overlap, so receivers can
 * switch without dropping a delivery.
 */
export async function rotateSecret(
  db: Database,
  actor: SessionActor,
  input: unknown,
): Promise<{ previousExpiresAt: Date | null }> {
  const { id, overlapHours } = allowedInput(actor, rotateSecretSchema, input);
  const { rows } = await db.asUser(actor.claims, (tx) =>
    sql<{ id: string | null; previous_secret_expires_at: Date | null }>`
      select id, previous_secret_expires_at
      from public.rotate_webhook_secret(${id}, make_interval(hours => ${overlapHours}))`.execute(tx),
  );
  // A function returning a row type yields one all-null row when nothing matched.
  if (!rows[0]?.id) throw gone();
  return { previousExpiresAt: rows[0].previous_secret_expires_at };
}

/** Queues a `webhook.test` event for this endpoint only; returns its webhook-id. */
export async function sendTestEvent(db: Database, actor: SessionActor, input: unknown): Promise<{ eventId: string }> {
  const { id } = allowedInput(actor, endpointIdSchema, input);
  try {
    const { rows } = await db.asUser(actor.claims, (tx) =>
      sql<{ event_id: string }>`select public.send_webhook_test(${id}) as event_id`.execute(tx),
    );
    return { eventId: rows[0].event_id };
  } catch (e) {
    refusal(e);
  }
}

/**
 * Dead letters back to pending with a fresh retry schedule: the given ones
 * or all of the endpoint's. Returns how many; 0 when none were dead (any
 * more). A disabled endpoint's replays wait until it is enabled.
 */
export async function replayDeliveries(db: Database, actor: SessionActor, input: unknown): Promise<{ replayed: number }> {
  const { id, deliveryIds } = allowedInput(actor, replaySchema, input);
  return db.asUser(actor.claims, async (tx) => {
    const endpoint = await tx.selectFrom("webhook_endpoints").select("id").where("id", "=", id).executeTakeFirst();
    if (!endpoint) throw gone();
    const ids = deliveryIds ? sql`${`{${deliveryIds.join(",")}}`}::bigint[]` : sql`null`;
    const { rows } = await sql<{ n: number }>`select public.replay_webhook_deliveries(${id}, ${ids}) as n`.execute(tx);
    return { replayed: rows[0].n };
  });
}
