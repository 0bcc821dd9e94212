// CSV import: stage an uploaded file's rows, analyse them against a column
// mapping (validation over every row, duplicates in the file and in the
// database, references by name), commit everything in the caller's one
// transaction with set-based SQL in chunks, and undo a whole import.
//
// Every function takes the caller's transaction (asUser), so RLS, the record
// triggers (custom fields, audit, timeline, domain events) and the role rules
// apply exactly as for a form. Free of React/Next: route handlers, actions,
// tests and the benchmark call these directly.

import { createHash, randomUUID } from "node:crypto";
import { can } from "@/lib/auth/permissions";
import { sql, type Tx } from "@/lib/db";
import { conflict, DomainError, fieldError, forbidden, notFound } from "@/lib/errors";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { canUseStage, listPipelines } from "@/modules/crm/pipelines";
import { myTeamIds } from "@/modules/teams";
import type { Actor } from "@/modules/crm/records/ui";
import { formatMoney } from "@/modules/crm/values/ui";
import { type ImportField, type ImportObject, importFields, requiredMappings, suggestMapping } from "./fields";
import { missingRequired, type RowIssue, rowReader, type RowValues } from "./rows";

export type { Actor };
export type DuplicateMode = "skip" | "update" | "create";
export const DUPLICATE_MODES: readonly DuplicateMode[] = ["skip", "update", "create"];

/** Rows per staged batch and per commit statement. */
const STAGE_BATCH = 2000;
const COMMIT_CHUNK = 5000;
/** Issues listed in a report; the counts always cover every row. */
export const MAX_LISTED_ISSUES = 500;
export const PREVIEW_ROWS = 20;

/** Rows at fault, as a refusal: the message, and the report (counts, issues per row, problems) the wizard lists. */
function rowsRefused(message: string, p: ImportReport): DomainError {
  return new DomainError("validation_failed", message, { data: { report: { counts: p.counts, issues: p.issues, problems: p.problems } } });
}

export interface ImportRecord {
  id: string;
  objectType: ImportObject;
  fileName: string;
  fileSize: number;
  headers: string[];
  rowCount: number;
  mapping: Record<string, string>;
  duplicateMode: DuplicateMode;
  status: "pending" | "completed" | "undone";
  createdCount: number;
  updatedCount: number;
  skippedCount: number;
  linkedCreatedCount: number;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
  committedAt: Date | null;
  undoneAt: Date | null;
}

export interface ImportCounts {
  rows: number;
  create: number;
  update: number;
  skip: number;
  /** Rows with at least one error. */
  errorRows: number;
  errors: number;
  warnings: number;
  duplicatesInFile: number;
  /** Companies a people/deals import will create to link rows to. */
  companiesToCreate: number;
}

export interface ImportReport {
  counts: ImportCounts;
  /** Errors first, then warnings, in row order; at most MAX_LISTED_ISSUES. */
  issues: RowIssue[];
  /** Mapping-level problems (e.g. no name column). */
  problems: string[];
}

export interface ImportPreview {
  columns: { key: string; label: string }[];
  rows: { row: number; action: "create" | "update" | "skip"; invalid: boolean; cells: Record<string, string> }[];
}

export interface Analysis extends ImportReport {
  preview: ImportPreview;
}

export interface ImportSummary {
  created: number;
  updated: number;
  skipped: number;
  companiesCreated: number;
}

export interface Progress {
  phase: "validating" | "companies" | "records" | "finishing";
  done: number;
  total: number;
}

// postgres.js serialises a parameter the server reads as jsonb with
// JSON.stringify itself; a pre-stringified value would arrive as a JSON string.
const json = (v: unknown) => sql<never>`${v}::jsonb`;

// ---------------------------------------------------------------------------
// Staging

export async function createImport(
  tx: Tx,
  actor: Actor,
  input: {
    objectType: ImportObject;
    fileName: string;
    fileSize: number;
    headers: string[];
    rows: string[][];
    /** Spreadsheet row number of each row (header = 1); consecutive from 2 when not given. */
    rowNumbers?: number[];
  },
): Promise<{ id: string }> {
  if (!can(actor.role, "records.work")) throw forbidden("You don't have permission to import records.");
  const { customDefs } = await fieldsFor(tx, input.objectType);
  const mapping = suggestMapping(input.headers, importFields(input.objectType, customDefs));
  const { id } = await tx
    .insertInto("imports")
    .values({
      org_id: actor.orgId,
      object_type: input.objectType,
      file_name: input.fileName.slice(0, 255) || "import.csv",
      file_size: input.fileSize,
      headers: input.headers,
      row_count: input.rows.length,
      mapping: json(mapping),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // Sent without waiting for each other: the database stores one batch while the next is serialised.
  const writes: Promise<unknown>[] = [];
  for (let b = 0; b * STAGE_BATCH < input.rows.length; b++) {
    const from = b * STAGE_BATCH;
    const to = Math.min(input.rows.length, from + STAGE_BATCH);
    const rows = input.rows.slice(from, to);
    const numbers = Array.from({ length: to - from }, (_, i) => input.rowNumbers?.[from + i] ?? from + i + 2);
    writes.push(
      sql`insert into public.import_rows (import_id, org_id, batch, rows, row_numbers)
          values (${id}, ${actor.orgId}, ${b}, ${json(rows)}, ${numbers}::int[])`.execute(tx),
    );
  }
  await Promise.all(writes);
  return { id };
}

function toRecord(r: Record<string, unknown>): ImportRecord {
  return {
    id: r.id as string,
    objectType: r.object_type as ImportObject,
    fileName: r.file_name as string,
    fileSize: Number(r.file_size),
    headers: r.headers as string[],
    rowCount: r.row_count as number,
    mapping: (r.mapping ?? {}) as Record<string, string>,
    duplicateMode: r.duplicate_mode as DuplicateMode,
    status: r.status as ImportRecord["status"],
    createdCount: r.created_count as number,
    updatedCount: r.updated_count as number,
    skippedCount: r.skipped_count as number,
    linkedCreatedCount: r.linked_created_count as number,
    createdBy: (r.created_by as string | null) ?? null,
    createdByName: (r.created_by_name as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    committedAt: r.committed_at ? new Date(r.committed_at as string) : null,
    undoneAt: r.undone_at ? new Date(r.undone_at as string) : null,
  };
}

const importColumns = sql`i.id, i.object_type, i.file_name, i.file_size, i.headers, i.row_count, i.mapping, i.duplicate_mode,
  i.status, i.created_count, i.updated_count, i.skipped_count, i.linked_created_count, i.created_by, i.created_at,
  i.committed_at, i.undone_at, coalesce(nullif(p.full_name, ''), p.email) as created_by_name`;

export async function getImport(tx: Tx, id: string, opts: { lock?: boolean } = {}): Promise<ImportRecord | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const lock = opts.lock ? sql`for update of i` : sql``;
  const { rows } = await sql<Record<string, unknown>>`
    select ${importColumns} from public.imports i left join public.profiles p on p.user_id = i.created_by
    where i.id = ${id} ${lock}`.execute(tx);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The org's imports, newest first. */
export async function listImports(tx: Tx, opts: { limit?: number } = {}): Promise<ImportRecord[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select ${importColumns} from public.imports i left join public.profiles p on p.user_id = i.created_by
    order by i.created_at desc, i.id desc limit ${opts.limit ?? 50}`.execute(tx);
  return rows.map(toRecord);
}

export async function fieldsFor(tx: Tx, object: ImportObject): Promise<{ fields: ImportField[]; customDefs: CustomFieldDef[] }> {
  const customDefs = await listCustomFieldDefs(tx, object);
  return { fields: importFields(object, customDefs), customDefs };
}

interface StagedBatch {
  batch: number;
  rowNumbers: number[];
  /** The file's cells, unless the batch's earlier reading is reused. */
  cells: string[][] | null;
  /** The preview's reading of the batch under the same key. */
  checked: RowValues[] | null;
}

/** The staged batches in order; `checkedKey` returns an earlier reading made under that key instead of the cells. */
async function stagedBatches(tx: Tx, importId: string, checkedKey: string | null): Promise<StagedBatch[]> {
  const { rows } = await sql<{ batch: number; row_numbers: number[]; cells: string[][] | null; checked: RowValues[] | null }>`
    select batch, to_jsonb(row_numbers) as row_numbers,
           case when checked_key is distinct from ${checkedKey} then rows end as cells,
           case when checked_key = ${checkedKey} then checked end as checked
    from public.import_rows where import_id = ${importId} order by batch`.execute(tx);
  return rows.map((r) => ({ batch: r.batch, rowNumbers: r.row_numbers, cells: r.cells, checked: r.checked }));
}

/** What a reading of the rows depends on besides the cells. */
function readingKey(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

// ---------------------------------------------------------------------------
// Analysis

interface Planned {
  row: number;
  action: "create" | "update" | "skip";
  invalid: boolean;
  id?: string;
  values: Record<string, unknown>;
  custom: Record<string, unknown>;
  companyKey?: string;
  ownerId?: string | null;
  personId?: string;
  pipelineId?: string;
  stageId?: string;
}

interface Plan extends Analysis {
  planned: Planned[];
  /** lower(name) → name as first written, for companies to create. */
  newCompanies: Map<string, string>;
  /** lower(name) → id of existing companies. */
  companyIds: Map<string, string>;
  ownerDefault: string | null;
  mappedTargets: Set<string>;
  /** With `keepReading`: batches read from their cells now, to keep under `checkedKey`. */
  readings: { batch: number; rows: RowValues[] }[];
  checkedKey: string;
}

const lowerKey = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

export function validMapping(headers: readonly string[], mapping: unknown, fields: readonly ImportField[]): Record<string, string> {
  if (!mapping || typeof mapping !== "object") throw fieldError("mapping", "The column mapping is missing.");
  const known = new Set(fields.map((f) => f.key));
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const [i, target] of Object.entries(mapping as Record<string, unknown>)) {
    if (target === "" || target === null || target === undefined) continue;
    const index = Number(i);
    if (!Number.isInteger(index) || index < 0 || index >= headers.length) throw fieldError("mapping", `Column ${i} is not in the file.`);
    if (typeof target !== "string" || !known.has(target)) {
      throw fieldError("mapping", `Column "${headers[index]}": "${String(target).slice(0, 40)}" is not a field you can import into.`);
    }
    if (used.has(target)) {
      const label = fields.find((f) => f.key === target)?.label ?? target;
      throw fieldError("mapping", `Two columns are mapped to ${label}; map each field once.`);
    }
    used.add(target);
    out[String(index)] = target;
  }
  return out;
}

async function plan(
  tx: Tx,
  actor: Actor,
  imp: ImportRecord,
  mappingInput: unknown,
  mode: DuplicateMode,
  opts: { keepReading?: boolean } = {},
): Promise<Plan> {
  if (!DUPLICATE_MODES.includes(mode)) throw fieldError("duplicateMode", "Choose what to do with duplicates: skip, update or create.");
  const object = imp.objectType;
  const { fields, customDefs } = await fieldsFor(tx, object);
  const mapping = validMapping(imp.headers, mappingInput, fields);
  const targets = new Set(Object.values(mapping));
  const problems = requiredMappings(object)
    .filter((r) => !r.anyOf.some((k) => targets.has(k)))
    .map((r) => r.message);

  const org = await tx.selectFrom("orgs").select("default_currency").where("id", "=", actor.orgId).executeTakeFirst();
  const read = rowReader({ object, mapping, headers: imp.headers, customDefs, defaultCurrency: org?.default_currency ?? "USD" });
  const headerOf = new Map(Object.entries(mapping).map(([i, t]) => [t, imp.headers[Number(i)]]));
  const customHeader = (k: string) => headerOf.get(`custom.${k}`) ?? null;

  // Only the uploader's own earlier reading is trusted (see 20261201012000_imports).
  const checkedKey = readingKey([object, mapping, customDefs, org?.default_currency ?? "USD"]);
  const reuse = imp.createdBy === actor.userId;
  const batches = await stagedBatches(tx, imp.id, reuse ? checkedKey : null);
  const issues: RowIssue[] = [];
  const planned: Planned[] = [];
  const readings: { batch: number; rows: RowValues[] }[] = [];
  for (const b of batches) {
    const batchRows = b.checked ?? (b.cells ?? []).map((cells, i) => read(cells, b.rowNumbers[i]));
    if (opts.keepReading && reuse && !b.checked) readings.push({ batch: b.batch, rows: batchRows });
    batchRows.forEach((r, i) => {
      const row = b.rowNumbers[i];
      if (r.blank) return;
      issues.push(...r.issues);
      planned.push({
        row,
        action: "create",
        invalid: r.issues.length > 0,
        values: r.values,
        custom: r.custom,
        companyKey: r.refs.company ? lowerKey(r.refs.company) : undefined,
        // Resolved below; kept on the row meanwhile.
        ...(r.refs as object),
      } as Planned);
    });
  }
  const refsOf = (p: Planned) => p as Planned & { company?: string; owner?: string; pipeline?: string; stage?: string; person?: string };

  // Owners by email or name.
  let ownerDefault: string | null = null;
  if (targets.has("owner")) {
    const members = await sql<{ user_id: string; email: string; full_name: string }>`
      select m.user_id, p.email, p.full_name from public.org_members m join public.profiles p on p.user_id = m.user_id`.execute(tx);
    const byKey = new Map<string, string>();
    for (const m of members.rows) {
      byKey.set(m.email.toLowerCase(), m.user_id);
      if (m.full_name) byKey.set(lowerKey(m.full_name), m.user_id);
    }
    for (const p of planned) {
      const owner = refsOf(p).owner;
      if (owner === undefined) continue;
      const id = byKey.get(lowerKey(owner));
      if (id) p.ownerId = id;
      else issue(p, headerOf.get("owner"), `No member of your organization has the email or name "${owner.slice(0, 60)}"`);
    }
  } else ownerDefault = actor.userId;

  // Companies by name, to link (people, deals) or created by this import.
  const companyIds = new Map<string, string>();
  const newCompanies = new Map<string, string>();
  if (object !== "company" && targets.has("company")) {
    const names = [...new Set(planned.flatMap((p) => (p.companyKey ? [p.companyKey] : [])))];
    const found = await sql<{ id: string; key: string }>`
      select distinct on (lower(name)) id, lower(name) as key from public.companies
      where archived_at is null and lower(name) in (select jsonb_array_elements_text(${json(names)}))
      order by lower(name), created_at`.execute(tx);
    for (const c of found.rows) companyIds.set(c.key, c.id);
    for (const p of planned) {
      const name = refsOf(p).company;
      if (!p.companyKey || !name || companyIds.has(p.companyKey) || newCompanies.has(p.companyKey)) continue;
      if (name.length > 200) issue(p, headerOf.get("company"), "Company names can be at most 200 characters");
      else newCompanies.set(p.companyKey, name.replace(/\s+/g, " "));
    }
  }

  // Deals: pipeline and stage by name, person by email.
  if (object === "deal") await resolveDealRefs(tx, actor, planned, refsOf, (p, target, message) => issue(p, headerOf.get(target), message));

  // Duplicates in the file and in the database.
  let duplicatesInFile = 0;
  const existing = await findExisting(tx, object, planned);
  const seen = new Map<string, number>();
  const targeted = new Map<string, number>();
  for (const p of planned) {
    if (p.invalid) continue;
    const keys = dedupeKeys(object, p);
    const first = keys.map((k) => seen.get(k)).find((r) => r !== undefined);
    if (first !== undefined) {
      duplicatesInFile++;
      p.action = "skip";
      issues.push({ row: p.row, column: null, message: `Duplicate of row ${first} in this file (${describeKey(object)}); skipped`, level: "warning" });
      continue;
    }
    for (const k of keys) seen.set(k, p.row);
    const match = existing(p);
    if (!match) continue;
    if (mode === "skip") p.action = "skip";
    else if (mode === "update") {
      const other = targeted.get(match.id);
      if (other !== undefined) {
        p.action = "skip";
        duplicatesInFile++;
        issues.push({ row: p.row, column: null, message: `Matches the same ${object === "person" ? "person" : object} as row ${other}; skipped`, level: "warning" });
        continue;
      }
      targeted.set(match.id, p.row);
      p.action = "update";
      p.id = match.id;
      if (p.ownerId && p.ownerId !== match.owner_id && match.owner_id && match.owner_id !== actor.userId && !can(actor.role, "records.assign")) {
        issue(p, headerOf.get("owner"), `Only managers, admins and owners can reassign ${match.name || "a record"}, owned by someone else`);
      }
    } else if (object === "person" && match.by === "email") {
      issue(p, headerOf.get("email"), `Email is already used by ${match.name || "another person"}; choose Skip or Update for duplicates`);
    }
  }

  // New records need their required custom fields.
  for (const p of planned) {
    if (p.action !== "create" || p.invalid) continue;
    const missing = missingRequired(customDefs, p.custom, p.row, customHeader);
    if (missing.length) {
      p.invalid = true;
      issues.push(...missing);
    }
  }

  function issue(p: Planned, column: string | undefined, message: string) {
    p.invalid = true;
    issues.push({ row: p.row, column: column ?? null, message, level: "error" });
  }

  const errors = issues.filter((i) => i.level === "error");
  const warnings = issues.filter((i) => i.level === "warning");
  const valid = planned.filter((p) => !p.invalid);
  const linkedCompanies = new Set(valid.filter((p) => p.action !== "skip").map((p) => p.companyKey));
  const counts: ImportCounts = {
    rows: planned.length,
    create: valid.filter((p) => p.action === "create").length,
    update: valid.filter((p) => p.action === "update").length,
    skip: valid.filter((p) => p.action === "skip").length,
    errorRows: planned.length - valid.length,
    errors: errors.length,
    warnings: warnings.length,
    duplicatesInFile,
    companiesToCreate: [...newCompanies.keys()].filter((k) => linkedCompanies.has(k)).length,
  };
  const byRow = (a: RowIssue, b: RowIssue) => a.row - b.row;
  return {
    counts,
    problems,
    issues: [...errors.sort(byRow), ...warnings.sort(byRow)].slice(0, MAX_LISTED_ISSUES),
    preview: preview(object, fields, mapping, planned.slice(0, PREVIEW_ROWS), refsOf, org?.default_currency ?? "USD"),
    planned,
    newCompanies,
    companyIds,
    ownerDefault,
    mappedTargets: targets,
    readings,
    checkedKey,
  };
}

function describeKey(object: ImportObject) {
  return object === "person" ? "same email or phone" : object === "company" ? "same domain or name" : "same name in the same pipeline";
}

/** Keys under which two rows of the file are the same record. */
function dedupeKeys(object: ImportObject, p: Planned): string[] {
  const v = p.values;
  if (object === "person") {
    return [v.email ? `e:${v.email}` : null, !v.email && v.phone ? `p:${v.phone}` : null].filter((k): k is string => !!k);
  }
  if (object === "company") {
    return [v.domain ? `d:${v.domain}` : null, v.name ? `n:${lowerKey(String(v.name))}` : null].filter((k): k is string => !!k);
  }
  return v.name ? [`${p.pipelineId}:${lowerKey(String(v.name))}`] : [];
}

interface Match {
  id: string;
  name: string;
  owner_id: string | null;
  by: "email" | "phone" | "domain" | "name";
}

/** Finds each row's existing active record: people by email then phone, companies by domain then name, deals by name in the pipeline. */
async function findExisting(tx: Tx, object: ImportObject, planned: Planned[]): Promise<(p: Planned) => Match | undefined> {
  const valid = planned.filter((p) => !p.invalid);
  const col = (k: string) => [...new Set(valid.flatMap((p) => (p.values[k] ? [String(p.values[k])] : [])))];
  if (object === "person") {
    const { rows } = await sql<{ id: string; email: string | null; phone: string | null; full_name: string; owner_id: string | null }>`
      select id, email::text as email, phone, full_name, owner_id from public.people
      where archived_at is null
        and (email operator(extensions.=) any (select jsonb_array_elements_text(${json(col("email"))})::extensions.citext)
             or phone in (select jsonb_array_elements_text(${json(col("phone"))})))`.execute(tx);
    const byEmail = new Map<string, Match>();
    const byPhone = new Map<string, Match>();
    for (const r of rows) {
      if (r.email) byEmail.set(r.email, { id: r.id, name: r.full_name || r.email, owner_id: r.owner_id, by: "email" });
      if (r.phone && !byPhone.has(r.phone)) byPhone.set(r.phone, { id: r.id, name: r.full_name || r.email || r.phone, owner_id: r.owner_id, by: "phone" });
    }
    return (p) => (p.values.email ? byEmail.get(String(p.values.email)) : undefined) ?? (p.values.phone ? byPhone.get(String(p.values.phone)) : undefined);
  }
  if (object === "company") {
    const names = col("name").map(lowerKey);
    const { rows } = await sql<{ id: string; name: string; domain: string | null; owner_id: string | null }>`
      select id, name, domain::text as domain, owner_id from public.companies
      where archived_at is null
        and (domain operator(extensions.=) any (select jsonb_array_elements_text(${json(col("domain"))})::extensions.citext)
             or lower(name) in (select jsonb_array_elements_text(${json(names)})))
      order by created_at`.execute(tx);
    const byDomain = new Map<string, Match>();
    const byName = new Map<string, Match>();
    for (const r of rows) {
      if (r.domain && !byDomain.has(r.domain)) byDomain.set(r.domain, { id: r.id, name: r.name, owner_id: r.owner_id, by: "domain" });
      const k = lowerKey(r.name);
      if (!byName.has(k)) byName.set(k, { id: r.id, name: r.name, owner_id: r.owner_id, by: "name" });
    }
    return (p) =>
      (p.values.domain ? byDomain.get(String(p.values.domain)) : undefined) ?? byName.get(lowerKey(String(p.values.name ?? "")));
  }
  const names = col("name").map(lowerKey);
  const { rows } = await sql<{ id: string; name: string; pipeline_id: string; owner_id: string | null }>`
    select id, name, pipeline_id, owner_id from public.deals
    where archived_at is null and lower(name) in (select jsonb_array_elements_text(${json(names)}))
    order by created_at`.execute(tx);
  const byKey = new Map<string, Match>();
  for (const r of rows) {
    const k = `${r.pipeline_id}:${lowerKey(r.name)}`;
    if (!byKey.has(k)) byKey.set(k, { id: r.id, name: r.name, owner_id: r.owner_id, by: "name" });
  }
  return (p) => byKey.get(`${p.pipelineId}:${lowerKey(String(p.values.name ?? ""))}`);
}

async function resolveDealRefs(
  tx: Tx,
  actor: Actor,
  planned: Planned[],
  refsOf: (p: Planned) => Planned & { pipeline?: string; stage?: string; person?: string },
  fail: (p: Planned, target: string, message: string) => void,
) {
  const pipelines = (await listPipelines(tx)).filter((p) => !p.archivedAt);
  const teamIds = await myTeamIds(tx);
  const byName = new Map(pipelines.map((p) => [lowerKey(p.name), p]));
  const emails = [...new Set(planned.flatMap((p) => (refsOf(p).person ? [refsOf(p).person!.toLowerCase()] : [])))];
  const people = await sql<{ id: string; email: string }>`
    select id, email::text as email from public.people
    where archived_at is null and email operator(extensions.=) any (select jsonb_array_elements_text(${json(emails)})::extensions.citext)`.execute(tx);
  const personByEmail = new Map(people.rows.map((r) => [r.email.toLowerCase(), r.id]));
  for (const p of planned) {
    const refs = refsOf(p);
    const pipeline = refs.pipeline ? byName.get(lowerKey(refs.pipeline)) : pipelines[0];
    if (!pipeline) {
      fail(p, "pipeline", refs.pipeline ? `There is no pipeline named "${refs.pipeline.slice(0, 60)}"` : "Your organization has no pipeline");
      continue;
    }
    p.pipelineId = pipeline.id;
    if (!refs.stage) fail(p, "stage", "Enter the deal's stage");
    else {
      const stage = pipeline.stages.find((s) => lowerKey(s.name) === lowerKey(refs.stage!));
      if (!stage) {
        fail(p, "stage", `"${refs.stage.slice(0, 60)}" is not a stage of ${pipeline.name} (${pipeline.stages.map((s) => s.name).join(", ")})`);
      } else if (!canUseStage(actor.role, teamIds, stage)) {
        fail(p, "stage", `${stage.restrictedTeamIds.length ? "You" : "Your role"} cannot put deals into the "${stage.name}" stage`);
      }
      else p.stageId = stage.id;
    }
    if (refs.person) {
      const id = personByEmail.get(refs.person.toLowerCase());
      if (id) p.personId = id;
      else fail(p, "person", `No person with the email "${refs.person.slice(0, 80)}" in your organization`);
    }
  }
}

function preview(
  object: ImportObject,
  fields: readonly ImportField[],
  mapping: Record<string, string>,
  rows: Planned[],
  refsOf: (p: Planned) => object,
  defaultCurrency: string,
): ImportPreview {
  const mapped = new Set(Object.values(mapping));
  const columns = fields
    .filter((f) => mapped.has(f.key))
    .flatMap((f) =>
      f.key === "full_name"
        ? [
            { key: "first_name", label: "First name" },
            { key: "last_name", label: "Last name" },
          ]
        : [{ key: f.key, label: f.label }],
    )
    .filter((c, i, all) => all.findIndex((o) => o.key === c.key) === i);
  const show = (v: unknown): string =>
    v === undefined || v === null ? "" : Array.isArray(v) ? v.join(", ") : typeof v === "boolean" ? (v ? "Yes" : "No") : String(v);
  return {
    columns,
    rows: rows.map((p) => {
      const refs = refsOf(p) as Record<string, unknown>;
      const cells: Record<string, string> = {};
      for (const c of columns) {
        if (c.key.startsWith("custom.")) cells[c.key] = show(p.custom[c.key.slice(7)]);
        else if (c.key === "value" && object === "deal") {
          cells[c.key] = p.values.value_minor !== undefined ? formatMoney(p.values.value_minor as number, String(p.values.currency ?? defaultCurrency)) : "";
        } else if (c.key in p.values) cells[c.key] = show(p.values[c.key]);
        else cells[c.key] = show(refs[c.key]);
      }
      return { row: p.row, action: p.action, invalid: p.invalid, cells };
    }),
  };
}

// ---------------------------------------------------------------------------
// Analyse, commit, undo

/** Validates every row against `mapping` and says what a commit would do. Saves the choices on the import. */
export async function analyzeImport(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { mapping: unknown; duplicateMode: DuplicateMode },
): Promise<Analysis> {
  const imp = await pendingImport(tx, id, false);
  const p = await plan(tx, actor, imp, input.mapping, input.duplicateMode, { keepReading: true });
  for (const r of p.readings) {
    await sql`update public.import_rows set checked = ${json(r.rows)}, checked_key = ${p.checkedKey}
              where import_id = ${id} and batch = ${r.batch}`.execute(tx);
  }
  await tx
    .updateTable("imports")
    .set({ mapping: json(validMapping(imp.headers, input.mapping, (await fieldsFor(tx, imp.objectType)).fields)), duplicate_mode: input.duplicateMode })
    .where("id", "=", id)
    .execute();
  return { counts: p.counts, issues: p.issues, problems: p.problems, preview: p.preview };
}

async function pendingImport(tx: Tx, id: string, lock: boolean): Promise<ImportRecord> {
  const imp = await getImport(tx, id, { lock });
  if (!imp) throw notFound("That import no longer exists or is not in your organization.");
  if (imp.status !== "pending") throw conflict("This import has already been committed.");
  return imp;
}

type ColumnType = "text" | "citext" | "uuid" | "int" | "bigint" | "date" | "text[]" | "jsonb" | "double precision";

const TABLES: Record<ImportObject, { table: "people" | "companies" | "deals"; columns: Record<string, ColumnType> }> = {
  person: {
    table: "people",
    columns: {
      first_name: "text", last_name: "text", email: "citext", phone: "text", title: "text", source: "text", website: "text",
      linkedin_url: "text", address_line1: "text", address_line2: "text", city: "text", state: "text", postal_code: "text",
      country: "text", tags: "text[]", company_id: "uuid", owner_id: "uuid", custom: "jsonb",
    },
  },
  company: {
    table: "companies",
    columns: {
      name: "text", domain: "citext", website: "text", email: "citext", phone: "text", industry: "text", employee_count: "int",
      description: "text", linkedin_url: "text", address_line1: "text", address_line2: "text", city: "text", state: "text",
      postal_code: "text", country: "text", tags: "text[]", owner_id: "uuid", custom: "jsonb",
    },
  },
  deal: {
    table: "deals",
    columns: {
      name: "text", pipeline_id: "uuid", stage_id: "uuid", position: "double precision", value_minor: "bigint", currency: "text",
      expected_close_date: "date", company_id: "uuid", person_id: "uuid", tags: "text[]", owner_id: "uuid", custom: "jsonb",
    },
  },
};

/** The database columns a mapping writes (an update touches only these). */
function columnsWritten(object: ImportObject, targets: Set<string>): string[] {
  const cols = new Set<string>();
  for (const t of targets) {
    if (t.startsWith("custom.")) cols.add("custom");
    else if (t === "full_name") cols.add("first_name").add("last_name");
    else if (t === "company") cols.add("company_id");
    else if (t === "owner") cols.add("owner_id");
    else if (t === "person") cols.add("person_id");
    else if (t === "pipeline" || t === "stage") cols.add("pipeline_id").add("stage_id");
    else if (t === "value") cols.add("value_minor");
    else cols.add(t);
  }
  if (object === "deal" && cols.has("value_minor")) cols.add("currency");
  return [...cols].filter((c) => c in TABLES[object].columns);
}

/** A PostgreSQL array literal of `items`, for one row's text[] cell sent as text. */
function textArrayLiteral(items: unknown[]): string {
  return `{${items.map((t) => `"${String(t).replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
}

/**
 * `rows` as a relation `x` with the columns `names` typed as the table's:
 * one array parameter per column, unnested together. The database parses
 * each value once with its type's input function; a jsonb array of row
 * objects (jsonb_to_recordset) cost it about three times as much per chunk
 * (a jsonb tree, then a key look-up and a text round trip per cell). Array
 * cells (tags) and jsonb cells travel as text and are cast per row.
 */
function recordsOf(columns: Record<string, ColumnType>, names: string[], rows: Record<string, unknown>[]) {
  const params = names.map((c) => {
    const type = columns[c];
    const values = rows.map((r) => {
      const v = r[c];
      if (v === undefined || v === null) return null;
      if (type === "text[]") return textArrayLiteral(v as unknown[]);
      if (type === "jsonb") return JSON.stringify(v);
      return v;
    });
    const arrayType = type === "citext" || type === "text[]" || type === "jsonb" ? "text" : type;
    return sql`${values}::${sql.raw(arrayType)}[]`;
  });
  const select = names.map((c) => {
    const type = columns[c];
    return sql.raw(type === "text[]" || type === "jsonb" ? `u.${c}::${type} as ${c}` : `u.${c}`);
  });
  return sql`(select ${sql.join(select)} from unnest(${sql.join(params)}) as u(${sql.raw(names.join(", "))})) as x`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Commits the import all-or-nothing inside `tx`: if any row is invalid
 * nothing is written (a validation_failed DomainError with the report); a database refusal
 * mid-way throws and the caller's transaction rolls everything back.
 */
export async function commitImport(
  tx: Tx,
  actor: Actor,
  id: string,
  input: { mapping: unknown; duplicateMode: DuplicateMode },
  onProgress: (p: Progress) => void | Promise<void> = () => {},
): Promise<ImportSummary> {
  if (!can(actor.role, "records.work")) throw forbidden("You don't have permission to import records.");
  const imp = await pendingImport(tx, id, true);
  await onProgress({ phase: "validating", done: 0, total: imp.rowCount });
  const p = await plan(tx, actor, imp, input.mapping, input.duplicateMode);
  if (p.problems.length) throw rowsRefused(p.problems.join(" "), p);
  if (p.counts.errorRows > 0) {
    throw rowsRefused(
      `${p.counts.errorRows.toLocaleString("en-US")} row${p.counts.errorRows === 1 ? " has" : "s have"} errors. Fix the file or the mapping; nothing was imported.`,
      p,
    );
  }
  const object = imp.objectType;
  const { table, columns } = TABLES[object];
  const written = columnsWritten(object, p.mappedTargets);
  const creates = p.planned.filter((r) => r.action === "create");
  const updates = p.planned.filter((r) => r.action === "update");

  // Companies to link rows to, created first.
  const companyIds = new Map(p.companyIds);
  const linked = new Set(p.planned.filter((r) => r.action !== "skip").map((r) => r.companyKey));
  const needed = [...p.newCompanies].filter(([k]) => linked.has(k));
  let companiesCreated = 0;
  for (const part of chunks(needed, COMMIT_CHUNK)) {
    const { rows } = await sql<{ id: string; key: string }>`
      with created as (
        insert into public.companies (org_id, name, owner_id)
        select ${actor.orgId}, x.name, ${p.ownerDefault}::uuid
        from jsonb_to_recordset(${json(part.map(([, name]) => ({ name })))}) as x(name text)
        returning id, lower(name) as key
      ), recorded as (${recordCreated(id, actor.orgId, "company")})
      select id, key from created`.execute(tx);
    for (const r of rows) companyIds.set(r.key, r.id);
    companiesCreated += rows.length;
    await onProgress({ phase: "companies", done: companiesCreated, total: needed.length });
  }

  const total = creates.length + updates.length;
  let done = 0;
  const toRow = (r: Planned, index: number) => {
    const row: Record<string, unknown> = { ...r.values };
    if (r.companyKey) row.company_id = companyIds.get(r.companyKey);
    if (r.ownerId !== undefined) row.owner_id = r.ownerId;
    else if (r.action === "create" && p.ownerDefault) row.owner_id = p.ownerDefault;
    if (object === "deal") {
      row.pipeline_id = r.pipelineId;
      row.stage_id = r.stageId;
      row.person_id = r.personId;
      row.position = index;
      delete row.value;
    }
    if (Object.keys(r.custom).length) row.custom = r.custom;
    // New ids are drawn here, on the core the database is not busy with.
    row.id = r.action === "update" ? r.id : randomUUID();
    return row;
  };

  const insertCols = ["id", ...Object.keys(columns).filter((c) => c !== "custom" && c !== "tags")];
  const insertChunk = (data: Record<string, unknown>[]) => sql`
    with created as (
      insert into public.${sql.raw(table)} (org_id, ${sql.raw(insertCols.join(", "))}, tags, custom)
      select ${actor.orgId}, ${sql.raw(insertCols.map((c) => (c === "value_minor" ? "coalesce(x.value_minor, 0)" : `x.${c}`)).join(", "))},
             coalesce(x.tags, '{}'), coalesce(x.custom, '{}')
      from ${recordsOf({ ...columns, id: "uuid" }, ["id", ...Object.keys(columns)], data)}
      returning id
    )
    ${recordCreated(id, actor.orgId, object)}`.execute(tx);
  // Each chunk's rows are built while the database writes the previous one.
  const createChunks = chunks(creates, COMMIT_CHUNK);
  let writing: Promise<unknown> | null = null;
  for (let c = 0, at = 0; c < createChunks.length; at += createChunks[c].length, c++) {
    const data = createChunks[c].map((r, i) => toRow(r, at + i));
    if (writing) {
      await writing;
      done += createChunks[c - 1].length;
      await onProgress({ phase: "records", done, total });
    }
    writing = insertChunk(data);
  }
  if (writing) {
    await writing;
    done += createChunks[createChunks.length - 1].length;
    await onProgress({ phase: "records", done, total });
  }

  if (updates.length && written.length) {
    const setList = written.map((c) => {
      if (c === "custom") return `custom = p.custom || coalesce(x.custom, '{}')`;
      if (c === "tags") return `tags = p.tags || array(select t from unnest(coalesce(x.tags, '{}')) t where t <> all (p.tags))`;
      return `${c} = coalesce(x.${c}, p.${c})`;
    });
    const prevList = written.map((c) => `'${c}', p.${c}`).join(", ");
    for (const part of chunks(updates, COMMIT_CHUNK)) {
      const data = part.map((r) => toRow(r, 0));
      await sql`
        with x as (
          select * from ${recordsOf({ ...columns, id: "uuid" }, ["id", ...written], data)}
        ), prev as (
          insert into public.import_changes (import_id, org_id, object_type, updated)
          select ${id}, ${actor.orgId}, ${object}::public.crm_object,
                 jsonb_agg(jsonb_build_object('id', p.id, 'previous', jsonb_build_object(${sql.raw(prevList)})))
          from public.${sql.raw(table)} p join x on x.id = p.id
        )
        update public.${sql.raw(table)} p set ${sql.raw(setList.join(", "))}
        from x where p.id = x.id`.execute(tx);
      done += part.length;
      await onProgress({ phase: "records", done, total });
    }
  } else done += updates.length;

  await onProgress({ phase: "finishing", done, total });
  const skipped = p.counts.skip;
  await tx
    .updateTable("imports")
    .set({
      mapping: json(validMapping(imp.headers, input.mapping, (await fieldsFor(tx, object)).fields)),
      duplicate_mode: input.duplicateMode,
      status: "completed",
      created_count: creates.length,
      updated_count: updates.length,
      skipped_count: skipped,
      linked_created_count: companiesCreated,
      committed_at: sql<Date>`now()`,
    })
    .where("id", "=", id)
    .execute();
  // The staged copy of the file has served its purpose.
  await tx.deleteFrom("import_rows").where("import_id", "=", id).execute();
  return { created: creates.length, updated: updates.length, skipped, companiesCreated };
}

/**
 * Undoes a committed import in `tx`: restores the previous values of the
 * records it updated and deletes the records it created (the person or deal
 * first, then companies it created to link them). Refused once undone.
 */
export async function undoImport(tx: Tx, actor: Actor, id: string): Promise<{ deleted: number; restored: number }> {
  if (!can(actor.role, "records.delete")) {
    throw forbidden("Only owners and admins can undo an import: it deletes the records the import created.");
  }
  const imp = await getImport(tx, id, { lock: true });
  if (!imp) throw notFound("That import no longer exists or is not in your organization.");
  if (imp.status === "undone") throw conflict("This import has already been undone.");
  if (imp.status !== "completed") throw conflict("This import was never committed; there is nothing to undo.");

  const { rows: changes } = await sql<{ id: string; object_type: ImportObject; created_ids: string[] | string; updated: { id: string; previous: Record<string, unknown> }[] }>`
    select id, object_type, created_ids, updated from public.import_changes where import_id = ${id} order by id desc`.execute(tx);
  let deleted = 0;
  let restored = 0;
  for (const c of changes) {
    const { table, columns } = TABLES[c.object_type];
    if (c.updated.length) {
      const cols = [...new Set(c.updated.flatMap((u) => Object.keys(u.previous)))].filter((k) => k in columns);
      const setList = cols
        .map((col) => `${col} = case when u.prev ? '${col}' then (jsonb_populate_record(null::public.${table}, u.prev)).${col} else p.${col} end`)
        .join(", ");
      const r = await sql`
        update public.${sql.raw(table)} p set ${sql.raw(setList)}
        from (select (e ->> 'id')::uuid as id, e -> 'previous' as prev from jsonb_array_elements(${json(c.updated)}) e) u
        where p.id = u.id`.execute(tx);
      restored += Number(r.numAffectedRows ?? 0);
    }
    const ids = Array.isArray(c.created_ids) ? c.created_ids : parseUuidArray(c.created_ids);
    if (ids.length) {
      const r = await sql`delete from public.${sql.raw(table)}
                          where id in (select jsonb_array_elements_text(${json(ids)})::uuid)`.execute(tx);
      deleted += Number(r.numAffectedRows ?? 0);
    }
  }
  await tx
    .updateTable("imports")
    .set({ status: "undone", undone_at: sql<Date>`now()`, undone_by: actor.userId })
    .where("id", "=", id)
    .execute();
  return { deleted, restored };
}

/** Keeps the ids of a `created` CTE's rows for undo, in the statement that creates them. */
function recordCreated(importId: string, orgId: string, object: ImportObject) {
  return sql`insert into public.import_changes (import_id, org_id, object_type, created_ids)
             select ${importId}, ${orgId}, ${object}::public.crm_object, coalesce(array_agg(id), '{}') from created`;
}

function parseUuidArray(v: string): string[] {
  const inner = v.replace(/^\{|\}$/g, "");
  return inner ? inner.split(",") : [];
}

/** The first `n` data rows of a staged file, for the mapping step's samples. */
export async function sampleRows(tx: Tx, importId: string, n: number): Promise<string[][]> {
  const { rows } = await sql<{ rows: string[][] }>`
    select jsonb_path_query_array(rows, '$[0 to ${sql.raw(String(Math.max(0, Math.floor(n) - 1)))}]') as rows
    from public.import_rows where import_id = ${importId} and batch = 0`.execute(tx);
  return rows[0]?.rows ?? [];
}
