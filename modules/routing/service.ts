// Admins' writes to rules and partners, as the member under RLS (which also
// refuses anyone below admin), and the two things managers do to a lead:
// route it again, and preview which rule would take one.
import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { type Keyring, SecretsNotConfiguredError } from "@/lib/crypto/envelope";
import { storeSecret } from "@/lib/crypto/member";
import { sql, type Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { conflict, DomainError, fieldError, forbidden, invalidFields, notFound, parseInput } from "@/lib/errors";
import { webhookUrlProblem } from "@/modules/webhooks";
import { partnerSchema, previewSchema, ruleSchema } from "./schema";
import { newWebhookSecret } from "./token";
import { partnerSecretPurpose } from "./webhook-job";

function requireAdmin(actor: Actor) {
  if (!can(actor.role, "settings.manage")) throw forbidden("Only admins and owners can change lead routing.");
}

/** Database refusals the input caused, by field. */
function refused(e: unknown): unknown {
  const err = pgError(e) as { code?: string; constraint_name?: string } | null;
  if (err?.code === "23503" && err.constraint_name?.includes("user_id")) {
    return invalidFields({ userIds: "Choose members of your organization" });
  }
  if (err?.code === "23503" && err.constraint_name?.includes("partner_id")) {
    return invalidFields({ partnerIds: "Choose partners of your organization" });
  }
  return e;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw refused(e);
  }
}

/** Adds a rule after the others, or saves rule `id`; its members keep their counts when they stay. */
export async function saveRule(tx: Tx, actor: Actor, input: unknown, id?: string): Promise<{ id: string }> {
  requireAdmin(actor);
  const v = parseInput(ruleSchema, input);
  const fields = {
    name: v.name,
    enabled: v.enabled,
    sources: v.sources,
    form_ids: [...new Set(v.formIds)],
    states: [...new Set(v.states)],
    utm: sql`${JSON.stringify(Object.fromEntries(Object.entries(v.utm).filter(([, value]) => value)))}::text::jsonb`,
    custom_field: v.customField ?? null,
    custom_value: v.customValue ?? null,
    action: v.action,
  };
  return guarded(async () => {
    let ruleId = id;
    if (ruleId) {
      const r = await tx.updateTable("lead_routing_rules").set(fields as never).where("id", "=", ruleId).executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw notFound("rule");
    } else {
      const row = await tx
        .insertInto("lead_routing_rules")
        .values({
          ...fields,
          org_id: actor.orgId,
          position: sql<number>`(select coalesce(max(position) + 1, 0) from public.lead_routing_rules where org_id = ${actor.orgId})`,
        } as never)
        .returning("id")
        .executeTakeFirstOrThrow();
      ruleId = row.id;
    }
    const userIds = v.action === "partner" ? [] : v.action === "assign" ? v.userIds.slice(0, 1) : [...new Set(v.userIds)];
    const partnerIds = v.action === "partner" ? [...new Set(v.partnerIds)] : [];
    await tx
      .deleteFrom("routing_rule_members")
      .where("rule_id", "=", ruleId)
      .where((eb) =>
        eb.or([
          eb.and([eb("user_id", "is not", null), userIds.length ? eb("user_id", "not in", userIds) : sql<boolean>`true`]),
          eb.and([eb("partner_id", "is not", null), partnerIds.length ? eb("partner_id", "not in", partnerIds) : sql<boolean>`true`]),
        ]),
      )
      .execute();
    for (const [position, userId] of userIds.entries()) {
      await sql`insert into public.routing_rule_members (org_id, rule_id, user_id, position)
                values (${actor.orgId}, ${ruleId}, ${userId}, ${position})
                on conflict (rule_id, user_id) do update set position = excluded.position`.execute(tx);
    }
    for (const [position, partnerId] of partnerIds.entries()) {
      await sql`insert into public.routing_rule_members (org_id, rule_id, partner_id, position)
                values (${actor.orgId}, ${ruleId}, ${partnerId}, ${position})
                on conflict (rule_id, partner_id) do update set position = excluded.position`.execute(tx);
    }
    return { id: ruleId! };
  });
}

export async function setRuleEnabled(tx: Tx, actor: Actor, id: string, enabled: boolean): Promise<void> {
  requireAdmin(actor);
  const r = await tx.updateTable("lead_routing_rules").set({ enabled }).where("id", "=", id).executeTakeFirst();
  if (!Number(r.numUpdatedRows)) throw notFound("rule");
}

/** Swaps the rule with its neighbour above (-1) or below (+1); the positions' uniqueness is checked at commit. */
export async function moveRule(tx: Tx, actor: Actor, id: string, direction: -1 | 1): Promise<void> {
  requireAdmin(actor);
  const rules = await tx.selectFrom("lead_routing_rules").select(["id", "position"]).orderBy("position").orderBy("created_at").forUpdate().execute();
  const at = rules.findIndex((r) => r.id === id);
  if (at < 0) throw notFound("rule");
  const other = rules[at + direction];
  if (!other) return;
  await tx.updateTable("lead_routing_rules").set({ position: other.position }).where("id", "=", id).execute();
  await tx.updateTable("lead_routing_rules").set({ position: rules[at].position }).where("id", "=", other.id).execute();
}

export async function deleteRule(tx: Tx, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const r = await tx.deleteFrom("lead_routing_rules").where("id", "=", id).executeTakeFirst();
  if (!Number(r.numDeletedRows)) throw notFound("rule");
}

/** The deployment's keys for sealing secrets; refused with what to set when there are none. */
async function sealingKeys(keyring: () => Promise<Keyring>): Promise<Keyring> {
  try {
    return await keyring();
  } catch (e) {
    if (e instanceof SecretsNotConfiguredError) throw new DomainError("not_configured", e.message);
    throw e;
  }
}

/** A new signing secret for the partner, sealed as an org secret; the plaintext is returned once. */
async function makeSecret(tx: Tx, keyring: () => Promise<Keyring>, partnerId: string): Promise<string> {
  const secret = newWebhookSecret();
  await storeSecret(tx, await sealingKeys(keyring), { purpose: partnerSecretPurpose(partnerId), plaintext: secret });
  return secret;
}

/**
 * Adds or saves a partner. A partner that gets a webhook channel gets a
 * signing secret the first time, returned here once (`secret`); it is
 * never read back, only rotated.
 */
export async function savePartner(
  tx: Tx,
  actor: Actor,
  input: unknown,
  id: string | undefined,
  keyring: () => Promise<Keyring>,
): Promise<{ id: string; secret?: string }> {
  requireAdmin(actor);
  const v = parseInput(partnerSchema, input);
  const webhookUrl = v.channel === "email" ? null : v.webhookUrl!;
  if (webhookUrl) {
    const problem = await webhookUrlProblem(webhookUrl);
    if (problem) throw fieldError("webhookUrl", problem);
  }
  const fields = {
    name: v.name,
    contact_email: v.contactEmail,
    phone: v.phone ?? null,
    states: [...new Set(v.states)],
    capacity_per_day: v.capacityPerDay ?? null,
    capacity_per_week: v.capacityPerWeek ?? null,
    response_hours: v.responseHours,
    notes: v.notes ?? null,
    active: v.active,
    channel: v.channel,
    webhook_url: webhookUrl,
  };
  let partnerId = id;
  if (partnerId) {
    const r = await tx.updateTable("partners").set(fields as never).where("id", "=", partnerId).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw notFound("partner");
  } else {
    const row = await tx.insertInto("partners").values({ ...fields, org_id: actor.orgId } as never).returning("id").executeTakeFirstOrThrow();
    partnerId = row.id;
  }
  if (!webhookUrl) return { id: partnerId };
  const has = await tx.selectFrom("org_secrets").select("id").where("purpose", "=", partnerSecretPurpose(partnerId)).executeTakeFirst();
  if (has) return { id: partnerId };
  return { id: partnerId, secret: await makeSecret(tx, keyring, partnerId) };
}

/** A new signing secret for a webhook partner, in force at once; returned this once. */
export async function rotatePartnerSecret(tx: Tx, actor: Actor, id: string, keyring: () => Promise<Keyring>): Promise<{ secret: string }> {
  requireAdmin(actor);
  const partner = await tx.selectFrom("partners").select(["id", "channel"]).where("id", "=", id).executeTakeFirst();
  if (!partner) throw notFound("partner");
  if (partner.channel === "email") throw conflict("This partner gets offers by email only; give it a webhook first.");
  return { secret: await makeSecret(tx, keyring, id) };
}

/** A partner who was offered leads keeps its history: deactivate it instead. */
export async function deletePartner(tx: Tx, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const offered = await tx.selectFrom("partner_deliveries").select("id").where("partner_id", "=", id).limit(1).executeTakeFirst();
  if (offered) throw conflict("This partner has been offered leads; make it inactive instead, so their history stays.");
  const r = await tx.deleteFrom("partners").where("id", "=", id).executeTakeFirst();
  if (!Number(r.numDeletedRows)) throw notFound("partner");
}

export interface RouteResult {
  rule_name: string;
  user_name?: string | null;
  partner_name?: string;
}

/** Runs the rules on the lead now (managers and up); null when no rule took it. */
export async function routeLeadAgain(tx: Tx, _actor: Actor, leadId: string): Promise<RouteResult | null> {
  try {
    const r = await sql<{ done: RouteResult | null }>`select public.route_lead_again(${leadId}::uuid) as done`.execute(tx);
    return r.rows[0]?.done ?? null;
  } catch (e) {
    const err = pgError(e);
    if (err?.code === "P0002") throw notFound("lead");
    if (err?.code === "42501") throw forbidden(err.message);
    if (err?.code === "55000") throw conflict(`${err.message}; wait for the answer or for the offer to expire.`);
    throw e;
  }
}

/** The enabled rule that would take a lead like this, or null. Takes no turn. */
export async function previewRouting(tx: Tx, input: unknown): Promise<string | null> {
  const v = parseInput(previewSchema, input);
  const sample = {
    source: v.source || "manual",
    state: v.state ? v.state.toUpperCase() : null,
    attribution: v.formId ? { form_id: v.formId } : {},
    utm: Object.fromEntries(Object.entries(v.utm).filter(([, value]) => value)),
    custom: v.customField && v.customValue ? { [v.customField]: v.customValue } : {},
  };
  const r = await sql<{ id: string | null }>`select public.preview_lead_routing(${JSON.stringify(sample)}::text::jsonb) as id`.execute(tx);
  return r.rows[0]?.id ?? null;
}
