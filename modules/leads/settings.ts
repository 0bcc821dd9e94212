// Settings → Leads: the org's lead sources and statuses as its owners and
// admins keep them. Writes run as the member under RLS (the policies let
// only owners and admins change these tables, and triggers keep built-in
// ones from being archived and a status with leads from being archived);
// the checks here say the same thing first, by field.

import type { Actor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { sql, type Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { conflict, fieldError, forbidden, parseInput } from "@/lib/errors";
import { fromDbError, notFound } from "@/modules/crm/records/ui";
import {
  addLeadSourceSchema,
  addLeadStatusSchema,
  archiveLeadStatusSchema,
  keyFromLabel,
  type LeadStatusCategory,
  leadSettingKeySchema,
  renameLeadSettingSchema,
  reorderLeadStatusesSchema,
  updateLeadStatusSchema,
} from "./settings-schema";

export interface LeadSourceSetting {
  key: string;
  label: string;
  builtIn: boolean;
  archived: boolean;
  leads: number;
}

export interface LeadStatusSetting extends LeadSourceSetting {
  category: LeadStatusCategory;
}

/** Every source and status of the org, archived ones last, with how many leads have each. */
export async function listLeadSettings(tx: Tx): Promise<{ sources: LeadSourceSetting[]; statuses: LeadStatusSetting[] }> {
  const [sources, statuses] = await Promise.all([
    sql<{ key: string; label: string; built_in: boolean; archived: boolean; leads: number }>`
      select s.key, s.label, s.built_in, s.archived_at is not null as archived,
             (select count(*)::int from public.leads l where l.org_id = s.org_id and l.source = s.key) as leads
      from public.lead_sources s
      order by s.archived_at is not null, s.position, s.label`.execute(tx),
    sql<{ key: string; label: string; category: LeadStatusCategory; built_in: boolean; archived: boolean; leads: number }>`
      select s.key, s.label, s.category, s.built_in, s.archived_at is not null as archived,
             (select count(*)::int from public.leads l where l.org_id = s.org_id and l.status = s.key) as leads
      from public.lead_statuses s
      order by s.archived_at is not null, s.position, s.label`.execute(tx),
  ]);
  const setting = (r: { key: string; label: string; built_in: boolean; archived: boolean; leads: number }) => ({
    key: r.key,
    label: r.label,
    builtIn: r.built_in,
    archived: r.archived,
    leads: r.leads,
  });
  return {
    sources: sources.rows.map(setting),
    statuses: statuses.rows.map((r) => ({ ...setting(r), category: r.category })),
  };
}

function mayManage(actor: Actor) {
  if (!can(actor.role, "settings.manage")) throw forbidden("Only owners and admins change lead sources and statuses.");
}

/** Database refusals as errors on the field the settings form shows. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = pgError(e) as { code?: string; constraint_name?: string; hint?: string; message?: string } | null;
    if (err?.code === "42501") throw forbidden("Only owners and admins change lead sources and statuses.");
    if (err?.code === "23514" && err.hint === "status") throw fieldError("moveTo", err.message ?? "Choose another status");
    throw fromDbError(e);
  }
}

/** A key for `label` that the org does not use yet in `table`: trade_show, else trade_show_2, … */
async function freeKey(tx: Tx, table: "lead_sources" | "lead_statuses", label: string): Promise<string> {
  const base = keyFromLabel(label);
  const taken = new Set(
    (await sql<{ key: string }>`select key from ${sql.table(`public.${table}`)} where key like ${`${base}%`}`.execute(tx)).rows.map((r) => r.key),
  );
  for (let n = 1; ; n++) {
    const key = n === 1 ? base : `${base}_${n}`;
    if (!taken.has(key)) return key;
  }
}

async function labelTaken(tx: Tx, table: "lead_sources" | "lead_statuses", label: string, except?: string) {
  const r = await sql<{ key: string }>`
    select key from ${sql.table(`public.${table}`)}
    where lower(label) = lower(${label}) and key is distinct from ${except ?? null}`.execute(tx);
  return r.rows.length > 0;
}

const nextPosition = async (tx: Tx, table: "lead_sources" | "lead_statuses") =>
  (await sql<{ n: number }>`select coalesce(max(position) + 1, 0)::int as n from ${sql.table(`public.${table}`)}`.execute(tx)).rows[0].n;

/** A source of the org's own, keyed from its label. */
export async function addLeadSource(tx: Tx, actor: Actor, input: unknown): Promise<{ key: string }> {
  mayManage(actor);
  const { label } = parseInput(addLeadSourceSchema, input);
  if (await labelTaken(tx, "lead_sources", label)) throw fieldError("label", `There is a source called "${label}" already`);
  const key = await freeKey(tx, "lead_sources", label);
  const position = await nextPosition(tx, "lead_sources");
  await guarded(() => tx.insertInto("lead_sources").values({ org_id: actor.orgId, key, label, position } as never).execute());
  return { key };
}

export async function renameLeadSource(tx: Tx, actor: Actor, input: unknown): Promise<void> {
  mayManage(actor);
  const { key, label } = parseInput(renameLeadSettingSchema, input);
  if (await labelTaken(tx, "lead_sources", label, key)) throw fieldError("label", `There is a source called "${label}" already`);
  const row = await guarded(() => tx.updateTable("lead_sources").set({ label }).where("key", "=", key).returning("key").executeTakeFirst());
  if (!row) throw notFound("lead source");
}

async function setSourceArchived(tx: Tx, actor: Actor, input: unknown, archived: boolean): Promise<void> {
  mayManage(actor);
  const { key } = parseInput(leadSettingKeySchema, input);
  const row = await guarded(() =>
    tx
      .updateTable("lead_sources")
      .set({ archived_at: archived ? sql`coalesce(archived_at, now())` : null } as never)
      .where("key", "=", key)
      .returning("key")
      .executeTakeFirst(),
  );
  if (!row) throw notFound("lead source");
}

/** Not offered for new leads; stays on the leads that have it and in filters. */
export const archiveLeadSource = (tx: Tx, actor: Actor, input: unknown) => setSourceArchived(tx, actor, input, true);
export const restoreLeadSource = (tx: Tx, actor: Actor, input: unknown) => setSourceArchived(tx, actor, input, false);

/** A status of the org's own, placed after the active ones. */
export async function addLeadStatus(tx: Tx, actor: Actor, input: unknown): Promise<{ key: string }> {
  mayManage(actor);
  const { label, category } = parseInput(addLeadStatusSchema, input);
  if (await labelTaken(tx, "lead_statuses", label)) throw fieldError("label", `There is a status called "${label}" already`);
  const key = await freeKey(tx, "lead_statuses", label);
  const position = await nextPosition(tx, "lead_statuses");
  await guarded(() => tx.insertInto("lead_statuses").values({ org_id: actor.orgId, key, label, category, position } as never).execute());
  return { key };
}

/** A status's label and category (a built-in status keeps its category). */
export async function updateLeadStatus(tx: Tx, actor: Actor, input: unknown): Promise<void> {
  mayManage(actor);
  const { key, label, category } = parseInput(updateLeadStatusSchema, input);
  if (await labelTaken(tx, "lead_statuses", label, key)) throw fieldError("label", `There is a status called "${label}" already`);
  const row = await guarded(() =>
    tx.updateTable("lead_statuses").set({ label, category }).where("key", "=", key).returning("key").executeTakeFirst(),
  );
  if (!row) throw notFound("lead status");
}

/** The active statuses in their new order; archived ones keep their places after them. */
export async function reorderLeadStatuses(tx: Tx, actor: Actor, input: unknown): Promise<void> {
  mayManage(actor);
  const { keys } = parseInput(reorderLeadStatusesSchema, input);
  const active = (await sql<{ key: string }>`select key from public.lead_statuses where archived_at is null for update`.execute(tx)).rows.map(
    (r) => r.key,
  );
  if (keys.length !== active.length || new Set(keys).size !== keys.length || !keys.every((k) => active.includes(k))) {
    throw conflict("The statuses changed while you were ordering them; reload and try again.");
  }
  await guarded(() =>
    sql`update public.lead_statuses s set position = o.n - 1
        from unnest(${keys}::text[]) with ordinality as o(key, n)
        where s.key = o.key and s.position is distinct from o.n - 1`.execute(tx),
  );
  await sql`update public.lead_statuses set position = ${keys.length} + position
            where archived_at is not null and position < ${keys.length}`.execute(tx);
}

/**
 * Archives a status: its leads move to `moveTo` first (each with its status
 * history, timeline item and event), in the same transaction.
 */
export async function archiveLeadStatus(tx: Tx, actor: Actor, input: unknown): Promise<{ moved: number }> {
  mayManage(actor);
  const { key, moveTo } = parseInput(archiveLeadStatusSchema, input);
  const status = await tx.selectFrom("lead_statuses").select(["key", "built_in", "archived_at"]).where("key", "=", key).forUpdate().executeTakeFirst();
  if (!status) throw notFound("lead status");
  if (status.built_in) throw fieldError("key", "Covey uses this status itself; rename it instead of archiving it");
  if (status.archived_at) return { moved: 0 };
  const { n } = (await sql<{ n: number }>`select count(*)::int as n from public.leads where status = ${key}`.execute(tx)).rows[0];
  let moved = 0;
  if (n > 0) {
    if (!moveTo) throw fieldError("moveTo", `Choose the status its ${n} lead${n === 1 ? "" : "s"} move to`);
    if (moveTo === key) throw fieldError("moveTo", "Choose another status than the one you archive");
    moved = await guarded(async () => {
      const r = await tx.updateTable("leads").set({ status: moveTo }).where("status", "=", key).executeTakeFirst();
      return Number(r.numUpdatedRows);
    }).catch((e) => {
      const err = pgError(e) as { code?: string } | null;
      if (err?.code === "23503") throw fieldError("moveTo", "Choose one of your organization's statuses");
      throw e;
    });
  }
  await guarded(() => tx.updateTable("lead_statuses").set({ archived_at: sql`now()` } as never).where("key", "=", key).execute());
  return { moved };
}

export async function restoreLeadStatus(tx: Tx, actor: Actor, input: unknown): Promise<void> {
  mayManage(actor);
  const { key } = parseInput(leadSettingKeySchema, input);
  const row = await guarded(() =>
    tx.updateTable("lead_statuses").set({ archived_at: null } as never).where("key", "=", key).returning("key").executeTakeFirst(),
  );
  if (!row) throw notFound("lead status");
}
