// Deal reads under RLS: the Kanban board, the deals list, one deal and its
// stage history. Free of React/Next so the export route and the REST API
// reuse them.
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { sqlLimit, type Tx } from "@/lib/db";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { applyListPlan, containsText, countMatching, idIn, pageFromRows, searchCandidates, textFilterTerms } from "@/modules/crm/lists";
import type { ListFieldSql, ListState } from "@/modules/crm/lists/ui";
import { caseListFields, DEAL_NUMBER_TEXT, DEAL_SOURCE, dealNumberField } from "./case-fields";
import type { BoardFilters } from "./schema";

/**
 * A select field whose options are ids of a uuid column: filtered on the
 * column itself, not on its text, so a pipeline's or stage's list reads the
 * index that holds its deals newest first instead of every deal of the org.
 * The values are already checked against the field's options.
 */
function idFilter(column: RawBuilder<unknown>): NonNullable<ListFieldSql["filter"]> {
  return (op, value) => {
    const many = (Array.isArray(value) ? value : value ? [value] : []).map((v) => sql`${v}::uuid`);
    switch (op) {
      case "eq":
        return sql<SqlBool>`${column} = ${many[0]}`;
      case "neq":
        return sql<SqlBool>`${column} is distinct from ${many[0]}`;
      case "in":
        return sql<SqlBool>`${column} in (${sql.join(many)})`;
      case "not_in":
        return sql<SqlBool>`${column} not in (${sql.join(many)})`;
      case "empty":
        return sql<SqlBool>`${column} is null`;
      default:
        return sql<SqlBool>`${column} is not null`;
    }
  };
}

/** Cards per column in the first load and in each further page of a column. */
export const BOARD_CARDS_PER_COLUMN = 25;

export interface BoardCard {
  id: string;
  number: string | null;
  priority: boolean;
  name: string;
  stageId: string;
  position: number;
  valueMinor: string;
  currency: string;
  status: "open" | "won" | "lost";
  ownerId: string | null;
  companyName: string | null;
  personName: string | null;
  expectedCloseDate: string | null;
  daysInStage: number;
}

export interface ColumnTotals {
  count: number;
  /** Sum of value_minor per currency, as decimal strings (exact). */
  values: { currency: string; minor: string }[];
}

export interface Board {
  cards: BoardCard[];
  totals: Record<string, ColumnTotals>;
  version: string;
}

function boardWhere(pipelineId: string, f: BoardFilters, userId: string): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`d.pipeline_id = ${pipelineId}::uuid`, sql`d.archived_at is null`];
  if (f.owner) parts.push(sql`d.owner_id = ${f.owner === "me" ? userId : f.owner}::uuid`);
  if (f.tag) parts.push(sql`d.tags @> array[${f.tag}]::text[]`);
  if (f.q) {
    parts.push(sql`(${containsText(sql`d.name`, f.q)}
      or exists (select 1 from public.companies c where c.id = d.company_id and ${containsText(sql`c.name`, f.q)})
      or exists (select 1 from public.people p where p.id = d.person_id and ${containsText(sql`p.full_name`, f.q)}))`);
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

interface CardRow {
  id: string;
  number: string | null;
  priority: boolean;
  name: string;
  stage_id: string;
  position: number;
  value_minor: string;
  currency: string;
  status: BoardCard["status"];
  owner_id: string | null;
  company_name: string | null;
  person_name: string | null;
  expected_close_date: string | null;
  days_in_stage: number;
}

const toCard = (r: CardRow): BoardCard => ({
  id: r.id,
  number: r.number,
  priority: r.priority,
  name: r.name,
  stageId: r.stage_id,
  position: Number(r.position),
  valueMinor: r.value_minor,
  currency: r.currency.trim(),
  status: r.status,
  ownerId: r.owner_id,
  companyName: r.company_name,
  personName: r.person_name,
  expectedCloseDate: r.expected_close_date,
  daysInStage: Number(r.days_in_stage),
});

/**
 * What a card shows, for the first `limit` deals of one stage (in board
 * order) after an optional (position, id) cursor: one walk of
 * deals_board_idx per stage, however many deals the stage holds. Days in
 * stage count from the deal's last move into its stage in its stage history
 * (a status change within the stage is no move); stage_entered_at, which an
 * insert sets to the time of the insert, only stands in for a deal without one.
 */
function stageCards(where: RawBuilder<SqlBool>, stageId: RawBuilder<unknown>, limit: number, after?: { position: number; id: string }) {
  const keyset = after ? sql`and (d.position, d.id) > (${String(after.position)}::text::float8, ${after.id}::uuid)` : sql``;
  return sql`
    select d.id, d.number::text as number, d.priority, d.name, d.stage_id, d.position, d.value_minor::text as value_minor, d.currency, d.status, d.owner_id,
           c.name as company_name, nullif(p.full_name, '') as person_name,
           d.expected_close_date::text as expected_close_date,
           (current_date - coalesce(entered.at, d.stage_entered_at)::date) as days_in_stage
    from public.deals d
    left join public.companies c on c.id = d.company_id
    left join public.people p on p.id = d.person_id
    left join lateral (
      select h.changed_at as at
      from public.deal_stage_history h
      where h.deal_id = d.id and h.to_stage_id = d.stage_id and h.from_stage_id is distinct from h.to_stage_id
      order by h.changed_at desc
      limit 1
    ) entered on true
    where ${where} and d.stage_id = ${stageId} ${keyset}
    order by d.position, d.id
    limit ${sqlLimit(limit)}`;
}

interface Aggregate {
  stage_id: string;
  currency: string;
  n: string;
  minor: string;
}

/** Count and value per stage and currency: the column totals. */
async function aggregate(tx: Tx, where: RawBuilder<SqlBool>) {
  const { rows } = await sql<Aggregate>`
    select d.stage_id, d.currency, count(*)::text as n, sum(d.value_minor)::text as minor
    from public.deals d
    where ${where}
    group by d.stage_id, d.currency
    order by d.stage_id, count(*) desc`.execute(tx);
  return rows;
}

/**
 * One pipeline's board: the first `perColumn` cards of every column (its
 * open stages: won and lost deals leave the board, only what a card shows),
 * exact per-stage totals (won and lost stages too), and the board's version. A
 * column's further cards come from loadStageCards as the column scrolls.
 * The version is read first: a change committed while the rest is read
 * shows now and again on the next poll, never not at all.
 */
export async function loadBoard(
  tx: Tx,
  pipelineId: string,
  filters: BoardFilters,
  opts: { userId: string; perColumn?: number },
): Promise<Board> {
  const where = boardWhere(pipelineId, filters, opts.userId);
  const limit = opts.perColumn ?? BOARD_CARDS_PER_COLUMN;
  const [version, cards, totals] = await Promise.all([
    boardVersion(tx, pipelineId),
    sql<CardRow>`
      select k.* from public.pipeline_stages s
      cross join lateral (${stageCards(where, sql`s.id`, limit)}) k
      where s.pipeline_id = ${pipelineId}::uuid and not s.is_won and not s.is_lost
      order by s.position, s.id, k.position, k.id`.execute(tx),
    aggregate(tx, where),
  ]);

  const byStage: Record<string, ColumnTotals> = {};
  for (const t of totals) {
    const col = (byStage[t.stage_id] ??= { count: 0, values: [] });
    col.count += Number(t.n);
    col.values.push({ currency: t.currency.trim(), minor: t.minor });
  }
  return { cards: cards.rows.map(toCard), totals: byStage, version };
}

/** The next cards of one column after the last one shown (keyset on position, id), with the board's filters. */
export async function loadStageCards(
  tx: Tx,
  input: { pipelineId: string; stageId: string; filters: BoardFilters; after: { position: number; id: string }; limit?: number },
  opts: { userId: string },
): Promise<BoardCard[]> {
  const where = boardWhere(input.pipelineId, input.filters, opts.userId);
  const { rows } = await stageCards(where, sql`${input.stageId}::uuid`, input.limit ?? BOARD_CARDS_PER_COLUMN, input.after).execute(tx);
  return (rows as CardRow[]).map(toCard);
}

/**
 * The board's version: a counter of the pipeline that every committed write
 * of its deals or stages bumps (20261201017000_pipeline_board_versions). Open boards poll it and
 * refetch when it changes; an unchanged poll reads one row.
 */
export async function boardVersion(tx: Tx, pipelineId: string): Promise<string> {
  const row = await tx
    .selectFrom("pipeline_board_versions")
    .select(sql<string>`version::text`.as("version"))
    .where("pipeline_id", "=", pipelineId)
    .executeTakeFirst();
  return row?.version ?? "0";
}

export interface DealDetail {
  id: string;
  number: string | null;
  priority: boolean;
  name: string;
  pipelineId: string;
  stageId: string;
  valueMinor: string;
  currency: string;
  status: "open" | "won" | "lost";
  ownerId: string | null;
  company: { id: string; name: string } | null;
  person: { id: string; name: string } | null;
  expectedCloseDate: string | null;
  closedAt: Date | null;
  lostReason: string | null;
  stageEnteredAt: Date;
  tags: string[];
  custom: Record<string, unknown>;
  archivedAt: Date | null;
  createdAt: Date;
}

export async function getDeal(tx: Tx, id: string): Promise<DealDetail | null> {
  const r = await tx
    .selectFrom("deals as d")
    .leftJoin("companies as c", "c.id", "d.company_id")
    .leftJoin("people as p", "p.id", "d.person_id")
    .select([
      "d.id",
      "d.number",
      "d.priority",
      "d.name",
      "d.pipeline_id",
      "d.stage_id",
      sql<string>`d.value_minor::text`.as("value_minor"),
      "d.currency",
      "d.status",
      "d.owner_id",
      "d.company_id",
      "c.name as company_name",
      "d.person_id",
      sql<string | null>`coalesce(nullif(p.full_name, ''), p.email::text)`.as("person_name"),
      sql<string | null>`d.expected_close_date::text`.as("expected_close_date"),
      "d.closed_at",
      "d.lost_reason",
      "d.stage_entered_at",
      "d.tags",
      "d.custom",
      "d.archived_at",
      "d.created_at",
    ])
    .where("d.id", "=", id)
    .executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    number: r.number,
    priority: r.priority,
    name: r.name,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    valueMinor: r.value_minor,
    currency: r.currency.trim(),
    status: r.status,
    ownerId: r.owner_id,
    company: r.company_id ? { id: r.company_id, name: r.company_name ?? "" } : null,
    person: r.person_id ? { id: r.person_id, name: r.person_name ?? "" } : null,
    expectedCloseDate: r.expected_close_date,
    closedAt: r.closed_at,
    lostReason: r.lost_reason,
    stageEnteredAt: r.stage_entered_at,
    tags: r.tags,
    custom: (r.custom ?? {}) as Record<string, unknown>,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
  };
}

export interface StageChange {
  id: string;
  fromStage: string | null;
  toStage: string | null;
  fromStatus: string | null;
  toStatus: string;
  by: string | null;
  reason: string | null;
  at: Date;
}

/** From → to, who, when and why: newest first. */
export async function getStageHistory(tx: Tx, dealId: string): Promise<StageChange[]> {
  const rows = await tx
    .selectFrom("deal_stage_history as h")
    .leftJoin("pipeline_stages as f", "f.id", "h.from_stage_id")
    .leftJoin("pipeline_stages as t", "t.id", "h.to_stage_id")
    .leftJoin("profiles as u", "u.user_id", "h.changed_by")
    .select([
      sql<string>`h.id::text`.as("id"),
      "f.name as from_stage",
      "t.name as to_stage",
      "h.from_status",
      "h.to_status",
      sql<string | null>`coalesce(nullif(u.full_name, ''), u.email)`.as("by"),
      "h.reason",
      "h.changed_at",
    ])
    .where("h.deal_id", "=", dealId)
    .orderBy("h.changed_at", "desc")
    .orderBy("h.id", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    by: r.by,
    reason: r.reason,
    at: r.changed_at,
  }));
}

/**
 * Companies or people whose name (or email) matches, for the deal form's
 * pickers; people only of `companyId` when the form has chosen a company.
 */
export async function searchLinkable(
  tx: Tx,
  kind: "company" | "person",
  q: string,
  companyId?: string,
): Promise<{ id: string; name: string }[]> {
  const s = q.trim();
  if (kind === "company") {
    return tx
      .selectFrom("companies")
      .select(["id", "name"])
      .where("archived_at", "is", null)
      .where(containsText(sql`name`, s))
      .orderBy(sql`lower(name)`)
      .limit(10)
      .execute();
  }
  let people = tx
    .selectFrom("people")
    .select(["id", "full_name", sql<string | null>`email::text`.as("email")])
    .where("archived_at", "is", null)
    .where(sql<SqlBool>`(${containsText(sql`full_name`, s)} or ${containsText(sql`email`, s)})`);
  if (companyId) people = people.where("company_id", "=", companyId);
  const rows = await people
    .orderBy(sql`lower(full_name)`)
    .limit(10)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.full_name || r.email || "" }));
}

// ---------------------------------------------------------------------------
// The deals list (RecordList, CSV export, REST API)
// ---------------------------------------------------------------------------

export async function dealListFields(tx: Tx): Promise<ListFieldSql[]> {
  const [stages, pipelines, defs, sources] = await Promise.all([
    tx.selectFrom("pipeline_stages as s").innerJoin("pipelines as p", "p.id", "s.pipeline_id")
      .select(["s.id", "s.name", "p.name as pipeline"]).orderBy("p.position").orderBy("s.position").execute(),
    tx.selectFrom("pipelines").select(["id", "name", "numbered"]).orderBy("position").execute(),
    listCustomFieldDefs(tx, "deal"),
    tx.selectFrom("lead_sources").select(["key", "label"]).orderBy("position").execute(),
  ]);
  const manyPipelines = pipelines.length > 1;
  // An org that numbers its deals works cases: who and where they are come first.
  const cases = pipelines.some((p) => p.numbered);
  return [
    dealNumberField(cases),
    { key: "name", label: "Name", type: "text", sql: sql.ref("d.name"), sortable: true, filterable: true, searchable: true, editable: true },
    ...caseListFields(cases, sources.map((s) => ({ value: s.key, label: s.label }))),
    {
      key: "stage",
      label: "Stage",
      type: "select",
      sql: sql`d.stage_id::text`,
      filter: idFilter(sql.ref("d.stage_id")),
      sortSql: sql.ref("s.name"),
      sortable: true,
      filterable: true,
      options: stages.map((s) => ({ value: s.id, label: manyPipelines ? `${s.pipeline}: ${s.name}` : s.name })),
    },
    {
      key: "pipeline",
      label: "Pipeline",
      type: "select",
      sql: sql`d.pipeline_id::text`,
      filter: idFilter(sql.ref("d.pipeline_id")),
      sortSql: sql.ref("pl.name"),
      sortable: true,
      filterable: true,
      defaultVisible: manyPipelines,
      options: pipelines.map((p) => ({ value: p.id, label: p.name })),
    },
    {
      key: "status",
      label: "Status",
      type: "select",
      sql: sql`d.status::text`,
      sortable: true,
      filterable: true,
      options: [
        { value: "open", label: "Open" },
        { value: "won", label: "Won" },
        { value: "lost", label: "Lost" },
      ],
    },
    { key: "value", label: "Value", type: "money", sql: sql.ref("d.value_minor"), sortable: true, filterable: true, align: "right", editable: true },
    { key: "currency", label: "Currency", type: "text", sql: sql`d.currency::text`, sortable: true, filterable: true, defaultVisible: false },
    { key: "company", label: "Company", type: "relation", sql: sql.ref("d.company_id"), sortSql: sql`lower(c.name)`, sortable: true, filterable: true, searchable: false },
    { key: "person", label: "Person", type: "relation", sql: sql.ref("d.person_id"), sortSql: sql`lower(pe.full_name)`, sortable: true, filterable: true },
    { key: "owner", label: "Owner", type: "user", sql: sql.ref("d.owner_id"), sortSql: sql.ref("o.full_name"), sortable: true, filterable: true, editable: true },
    { key: "expected_close_date", label: "Expected close", type: "date", sql: sql.ref("d.expected_close_date"), sortable: true, filterable: true, editable: true },
    { key: "tags", label: "Tags", type: "tags", sql: sql.ref("d.tags"), sortable: false, filterable: true },
    { key: "closed_at", label: "Closed", type: "datetime", sql: sql.ref("d.closed_at"), sortable: true, filterable: true, defaultVisible: false },
    { key: "lost_reason", label: "Lost reason", type: "text", sql: sql.ref("d.lost_reason"), sortable: true, filterable: true, defaultVisible: false },
    { key: "created_at", label: "Created", type: "datetime", sql: sql.ref("d.created_at"), sortable: true, filterable: true, notNull: true, defaultVisible: cases },
    { key: "updated_at", label: "Updated", type: "datetime", sql: sql.ref("d.updated_at"), sortable: true, filterable: true, defaultVisible: false },
    ...customFieldListFields(defs, "d"),
  ];
}

export interface DealListRow extends Record<string, unknown> {
  id: string;
}

/**
 * A page of deals for `state`; rows keyed by field key (company/person as
 * `{ id, name }`, owner as the user id, value in minor units beside `currency`).
 */
export async function listDeals(
  tx: Tx,
  state: ListState,
  opts: { pageSize?: number; ids?: string[]; userId?: string; timeZone?: string; fields?: ListFieldSql[]; withTotal?: boolean } = {},
): Promise<{ rows: DealListRow[]; nextCursor: string | null; total?: number }> {
  const fields = opts.fields ?? (await dealListFields(tx));
  const plan = { idRef: "d.id", pageSize: opts.pageSize, userId: opts.userId, timeZone: opts.timeZone };
  // The quick search narrows too while the name is all it reads (no searchable custom fields).
  const terms = textFilterTerms(state, ["name"]);
  const typed = state.q?.trim();
  // A number is all digits: typed text with anything else can only match the name, which the word index holds.
  if (typed && /\D/.test(typed) && fields.every((f) => !f.searchable || f.key === "name" || f.key === "number")) terms.unshift({ text: typed });
  const candidates = await searchCandidates(tx, "deal", state, terms);
  const base = () => {
    let q = tx
      .selectFrom("deals as d")
      .innerJoin("pipeline_stages as s", "s.id", "d.stage_id")
      .innerJoin("pipelines as pl", "pl.id", "d.pipeline_id")
      .leftJoin("companies as c", "c.id", "d.company_id")
      .leftJoin("people as pe", "pe.id", "d.person_id")
      .leftJoin("profiles as o", "o.user_id", "d.owner_id");
    if (opts.ids) q = q.where("d.id", "in", opts.ids.length ? opts.ids : ["00000000-0000-0000-0000-000000000000"]);
    if (candidates) q = q.where(idIn("d.id", candidates));
    return q;
  };
  const raw = await applyListPlan(
    base().select([
      "d.id",
      "d.name",
      sql<string | null>`${DEAL_NUMBER_TEXT}`.as("number"),
      sql<string>`d.priority::text`.as("priority"),
      sql<string | null>`pe.email::text`.as("person_email"),
      "pe.phone as person_phone",
      "pe.state as person_state",
      sql<string | null>`${DEAL_SOURCE}`.as("source"),
      sql<string>`d.stage_id::text`.as("stage"),
      sql<string>`d.pipeline_id::text`.as("pipeline"),
      sql<string>`d.status::text`.as("status"),
      sql<string>`d.value_minor::text`.as("value"),
      sql<string>`d.currency::text`.as("currency"),
      "d.company_id",
      "c.name as company_name",
      "d.person_id",
      sql<string | null>`coalesce(nullif(pe.full_name, ''), pe.email::text)`.as("person_name"),
      "d.owner_id as owner",
      sql<string | null>`d.expected_close_date::text`.as("expected_close_date"),
      "d.tags",
      "d.closed_at",
      "d.lost_reason",
      "d.created_at",
      "d.updated_at",
      "d.archived_at",
      "d.custom",
    ]),
    fields,
    state,
    plan,
  ).execute();
  const page = pageFromRows(raw, plan);
  const rows = page.rows.map(({ company_id, company_name, person_id, person_name, ...r }) => ({
    ...r,
    currency: r.currency.trim(),
    company: company_id ? { id: company_id, name: company_name ?? "", href: `/companies/${company_id}` } : null,
    person: person_id ? { id: person_id, name: person_name ?? "", href: `/people/${person_id}` } : null,
  }));
  const total = opts.withTotal ? await countMatching(tx, base(), fields, state, plan) : undefined;
  return { rows, nextCursor: page.nextCursor, ...(total !== undefined ? { total } : {}) };
}
