// Deal writes. Plain functions over a caller's transaction (server actions,
// the REST API, imports and tests share them). The database has the last
// word: RLS, restricted stages, archive/owner guards and custom field checks
// raise errors that `refusal` turns into DomainErrors naming the field.
import type { Actor } from "@/lib/auth/actor";
import { sql, type Tx } from "@/lib/db";
import { isRaised, pgError, pgHint } from "@/lib/db/errors";
import { conflict, DomainError, forbidden, invalidFields, notFound } from "@/lib/errors";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { compactCustom, customValuesSchema } from "@/modules/crm/custom-fields/ui";
import { parseMoneyToMinor, zTags } from "@/modules/crm/values/ui";
import { needsRenumber, POSITION_STEP, positionBetween } from "./positions";
import { type DealInput, dealIdSchema, type DealStatusInput, type MoveDealInput } from "./schema";

const FK_FIELDS: Record<string, [string, string]> = {
  deals_owner_id_org_id_fkey: ["ownerId", "That member was not found in this organization"],
  deals_company_id_org_id_fkey: ["companyId", "That company was not found"],
  deals_person_id_org_id_fkey: ["personId", "That person was not found"],
  deals_stage_id_pipeline_id_org_id_fkey: ["stageId", "That stage is not part of the chosen pipeline"],
};

const gone = () => notFound("That deal no longer exists.");

const HINT_FIELDS: Record<string, string> = {
  stage_restricted: "stageId",
  owner_id: "ownerId",
  archived_at: "archived_at",
};

/** A database refusal the user caused, as a DomainError naming the field; anything else is rethrown as it is. */
export function refusal(e: unknown): never {
  const err = pgError(e);
  if (!err) throw e;
  if (err.code === "23505" && err.hint === "person_deal" && err.message) {
    // The deal the person already has on a pipeline of one deal per person (the person's email names them).
    const id = (err as { detail?: string }).detail;
    throw conflict(err.message, { details: { email: [err.message] }, data: { existing: { id, href: `/deals/${id}` } } });
  }
  if (err.code === "23503") {
    const hit = FK_FIELDS[err.constraint_name ?? ""];
    if (hit) throw invalidFields({ [hit[0]]: hit[1] }, `${hit[1]}.`);
  }
  const code = err.code === "42501" ? "forbidden" : "validation_failed";
  const hint = pgHint(e);
  if (isRaised(e) && err.message && hint) {
    const field = hint.startsWith("custom.") ? hint : HINT_FIELDS[hint];
    throw new DomainError(code, err.message, field ? { details: { [field]: [err.message] } } : {});
  }
  if (err.code === "42501") throw forbidden();
  if (isRaised(e) && err.message) throw new DomainError(code, err.message);
  throw e;
}

async function setReason(tx: Tx, reason: string | null | undefined) {
  await sql`select set_config('covey.change_reason', ${reason ?? ""}, true)`.execute(tx);
}

async function endOfColumn(tx: Tx, stageId: string): Promise<number> {
  const { top } = await tx
    .selectFrom("deals")
    .select(sql<number | null>`max(position)`.as("top"))
    .where("stage_id", "=", stageId)
    .executeTakeFirstOrThrow();
  return top === null ? POSITION_STEP : Number(top) + POSITION_STEP;
}

// The role is the database's to check; a deal needs only who and where.
export async function createDeal(tx: Tx, actor: Pick<Actor, "orgId" | "userId">, input: DealInput): Promise<{ id: string }> {
  if (!input.personId) {
    const p = await tx.selectFrom("pipelines").select(["name", "person_required"]).where("id", "=", input.pipelineId).executeTakeFirst();
    if (p?.person_required) {
      const message = `Each deal on ${p.name} is about one person: choose the person`;
      throw invalidFields({ personId: message }, `${message}.`);
    }
  }
  try {
    const row = await tx
      .insertInto("deals")
      .values({
        org_id: actor.orgId,
        name: input.name,
        pipeline_id: input.pipelineId,
        stage_id: input.stageId,
        position: await endOfColumn(tx, input.stageId),
        value_minor: input.valueMinor,
        currency: input.currency,
        owner_id: input.ownerId ?? actor.userId,
        company_id: input.companyId ?? null,
        person_id: input.personId ?? null,
        expected_close_date: input.expectedCloseDate,
        tags: input.tags ?? [],
        priority: input.priority ?? false,
        custom: compactCustom(input.custom) as never,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id };
  } catch (e) {
    refusal(e);
  }
}

/**
 * Saves the deal form; a changed stage is a move (end of the new column). A
 * stage the form showed and the user left alone is not written, so a field
 * edit never moves, reopens or closes the deal.
 */
export async function updateDeal(tx: Tx, id: string, input: DealInput): Promise<void> {
  try {
    const current = await tx.selectFrom("deals").select(["stage_id"]).where("id", "=", id).executeTakeFirst();
    if (!current) throw gone();
    const untouched = input.shownStageId !== undefined && input.shownStageId === input.stageId;
    const moved = !untouched && current.stage_id !== input.stageId;
    const row = await tx
      .updateTable("deals")
      .set({
        name: input.name,
        ...(moved
          ? { pipeline_id: input.pipelineId, stage_id: input.stageId, position: await endOfColumn(tx, input.stageId) }
          : {}),
        value_minor: input.valueMinor,
        currency: input.currency,
        owner_id: input.ownerId ?? null,
        company_id: input.companyId ?? null,
        person_id: input.personId ?? null,
        expected_close_date: input.expectedCloseDate,
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        // Fields left out keep their value; cleared ones are null, which the database strips.
        custom: sql`custom || ${input.custom}::jsonb`,
      })
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw gone();
  } catch (e) {
    refusal(e);
  }
}

/** The column change of one field edited in place, checked as the deal form checks it. */
async function fieldChange(tx: Tx, fieldKey: string, value: string | null, currency: string): Promise<Record<string, unknown>> {
  if (fieldKey.startsWith("custom.")) {
    const key = fieldKey.slice("custom.".length);
    const parsed = customValuesSchema(await listCustomFieldDefs(tx, "deal"), { mode: "update" }).safeParse({ [key]: value });
    if (!parsed.success) throw invalidFields({ [fieldKey]: parsed.error.issues[0].message }, parsed.error.issues[0].message);
    // A cleared value is null, which the database strips from the merged object.
    return { custom: sql`custom || ${parsed.data}::jsonb` };
  }
  switch (fieldKey) {
    case "name": {
      const name = (value ?? "").trim();
      if (!name || name.length > 200) throw invalidFields({ name: "Enter a name" }, "Enter a name of at most 200 characters.");
      return { name };
    }
    case "value": {
      const money = parseMoneyToMinor(value ?? "", currency);
      if (!money.ok) throw invalidFields({ value: money.message }, money.message);
      return { value_minor: money.value ?? 0 };
    }
    case "owner":
      if (value && !dealIdSchema.safeParse({ id: value }).success) throw invalidFields({ owner: "Choose a member" }, "Choose a member.");
      return { owner_id: value || null };
    case "expected_close_date":
      if (value && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalidFields({ expected_close_date: "Not a date" }, "Use a date like 2026-03-31.");
      return { expected_close_date: value || null };
    case "priority":
      if (value !== "true" && value !== "false") throw invalidFields({ priority: "Choose priority or normal" }, "Choose priority or normal.");
      return { priority: value === "true" };
    case "tags": {
      const tags = zTags().safeParse(value);
      if (!tags.success) throw invalidFields({ tags: tags.error.issues[0].message }, tags.error.issues[0].message);
      return { tags: tags.data ?? [] };
    }
    default:
      throw invalidFields({ [fieldKey]: "Not editable here" }, `"${fieldKey}" can't be edited in place.`);
  }
}

/**
 * One field of a deal edited in place, from its list cell or its page:
 * `fieldKey` is the list field key (custom fields `custom.<key>`). Only that
 * column is written, so an edit never moves the deal or changes its status.
 */
export async function updateDealField(tx: Tx, id: string, fieldKey: string, value: string | null): Promise<void> {
  const deal = await tx.selectFrom("deals").select(["currency"]).where("id", "=", id).executeTakeFirst();
  if (!deal) throw gone();
  const set = await fieldChange(tx, fieldKey, value, deal.currency.trim());
  try {
    await tx.updateTable("deals").set(set).where("id", "=", id).execute();
  } catch (e) {
    refusal(e);
  }
}

async function renumberColumn(tx: Tx, stageId: string) {
  await sql`
    update public.deals d set position = o.ord * ${POSITION_STEP}
    from (select id, row_number() over (order by position, id) as ord from public.deals where stage_id = ${stageId}::uuid) o
    where d.id = o.id`.execute(tx);
}

async function neighbourPositions(tx: Tx, stageId: string, ids: (string | null | undefined)[]) {
  const wanted = ids.filter((i): i is string => !!i);
  const rows = wanted.length
    ? await tx.selectFrom("deals").select(["id", "position"]).where("id", "in", wanted).where("stage_id", "=", stageId).execute()
    : [];
  const at = (i: string | null | undefined) => {
    if (!i) return null;
    const r = rows.find((x) => x.id === i);
    return r ? Number(r.position) : undefined;
  };
  return [at(ids[0]), at(ids[1])] as const;
}

/**
 * Moves a deal to `stageId`, between the cards `beforeId` and `afterId` (as
 * the mover saw the column), recording `reason` in its history. One row
 * changes unless the column needs renumbering first.
 */
export async function moveDeal(tx: Tx, input: MoveDealInput): Promise<{ position: number }> {
  try {
    const deal = await tx.selectFrom("deals").select(["id", "pipeline_id"]).where("id", "=", input.id).executeTakeFirst();
    if (!deal) throw gone();
    const stage = await tx
      .selectFrom("pipeline_stages")
      .select(["id", "pipeline_id"])
      .where("id", "=", input.stageId)
      .executeTakeFirst();
    if (!stage) throw invalidFields({ stageId: "Stage not found" }, "That stage no longer exists.");

    let [before, after] = await neighbourPositions(tx, stage.id, [input.beforeId, input.afterId]);
    // A neighbour that moved away meanwhile: fall back to that edge of the column.
    if (before === undefined) before = null;
    if (after === undefined) after = null;
    if (before !== null && after !== null && needsRenumber(before, after)) {
      await renumberColumn(tx, stage.id);
      [before, after] = (await neighbourPositions(tx, stage.id, [input.beforeId, input.afterId])).map((p) => p ?? null);
    }
    if (before === null && after === null) {
      // An empty column as the mover saw it (or neighbours gone meanwhile): the end of the column.
      const { bottom } = await tx
        .selectFrom("deals")
        .select(sql<number | null>`max(position)`.as("bottom"))
        .where("stage_id", "=", stage.id)
        .where("id", "<>", input.id)
        .executeTakeFirstOrThrow();
      before = bottom === null ? null : Number(bottom);
    }
    const position = positionBetween(before, after);

    await setReason(tx, input.reason);
    await tx
      .updateTable("deals")
      .set({ stage_id: stage.id, pipeline_id: stage.pipeline_id, position })
      .where("id", "=", input.id)
      .execute();
    await setReason(tx, null);
    return { position };
  } catch (e) {
    refusal(e);
  }
}

/**
 * Won, lost or reopened. When the pipeline has a won (lost) stage the deal
 * moves there, so the board shows the outcome; reopening a deal that sits in
 * such a stage returns it to the open stage it came from.
 */
export async function setDealStatus(tx: Tx, input: DealStatusInput): Promise<void> {
  try {
    const deal = await tx
      .selectFrom("deals as d")
      .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
      .select(["d.id", "d.pipeline_id", "d.stage_id", "d.status", "s.is_won", "s.is_lost"])
      .where("d.id", "=", input.id)
      .executeTakeFirst();
    if (!deal) throw gone();
    if (deal.status === input.status) return;
    const stages = await tx
      .selectFrom("pipeline_stages")
      .select(["id", "is_won", "is_lost", "position"])
      .where("pipeline_id", "=", deal.pipeline_id)
      .orderBy("position")
      .execute();

    let target: string | undefined;
    if (input.status === "won") target = stages.find((s) => s.is_won)?.id;
    else if (input.status === "lost") target = stages.find((s) => s.is_lost)?.id;
    else if (deal.is_won || deal.is_lost) {
      const open = new Set(stages.filter((s) => !s.is_won && !s.is_lost).map((s) => s.id));
      const came = await tx
        .selectFrom("deal_stage_history")
        .select("from_stage_id")
        .where("deal_id", "=", deal.id)
        .where("to_stage_id", "=", deal.stage_id)
        .orderBy("changed_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      target = came?.from_stage_id && open.has(came.from_stage_id) ? came.from_stage_id : [...open].at(-1);
    }

    await setReason(tx, input.reason);
    const lost = input.status === "lost" ? { lost_reason: input.reason || null } : {};
    if (target && target !== deal.stage_id) {
      await tx
        .updateTable("deals")
        .set({ stage_id: target, position: await endOfColumn(tx, target), status: input.status, ...lost })
        .where("id", "=", deal.id)
        .execute();
    } else {
      await tx.updateTable("deals").set({ status: input.status, ...lost }).where("id", "=", deal.id).execute();
    }
    await setReason(tx, null);
  } catch (e) {
    refusal(e);
  }
}

/** How many of the selected deals a bulk write reached (RLS hides other orgs' rows). */
function reached(n: number): { count: number } {
  if (n === 0) throw notFound("None of the selected deals could be found.");
  return { count: n };
}

export async function archiveDeals(tx: Tx, ids: string[], archived: boolean): Promise<{ count: number }> {
  try {
    const rows = await tx
      .updateTable("deals")
      .set({ archived_at: archived ? sql`now()` : null })
      .where("id", "in", ids)
      .where("archived_at", archived ? "is" : "is not", null)
      .returning("id")
      .execute();
    return { count: rows.length };
  } catch (e) {
    refusal(e);
  }
}

export async function deleteDeals(tx: Tx, ids: string[]): Promise<{ count: number }> {
  try {
    const rows = await tx.deleteFrom("deals").where("id", "in", ids).returning("id").execute();
    return reached(rows.length);
  } catch (e) {
    refusal(e);
  }
}

export async function assignDeals(tx: Tx, ids: string[], userId: string | null): Promise<{ count: number }> {
  try {
    const rows = await tx.updateTable("deals").set({ owner_id: userId }).where("id", "in", ids).returning("id").execute();
    return reached(rows.length);
  } catch (e) {
    refusal(e);
  }
}

export async function tagDeals(tx: Tx, ids: string[], tag: string): Promise<{ count: number }> {
  try {
    const rows = await tx
      .updateTable("deals")
      .set({ tags: sql`case when exists (select 1 from unnest(tags) t where lower(t) = lower(${tag})) then tags else array_append(tags, ${tag}) end` })
      .where("id", "in", ids)
      .returning("id")
      .execute();
    return reached(rows.length);
  } catch (e) {
    refusal(e);
  }
}
