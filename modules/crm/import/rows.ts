// One CSV row → the values of one record, through the same zod schemas and
// normalisers as the record forms. Cells are taken as text and never
// evaluated: "=SUM(A1)" in a name column is stored as that text, while
// "+1 415 555 0100" in a phone column is read as a phone number.

import { z } from "zod";
import { isIsoDate } from "@/lib/validation";
import { companyCreateSchema } from "@/modules/crm/companies/ui";
import { customValuesSchema } from "@/modules/crm/custom-fields/ui";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { addressShape, normalizeState, zText } from "@/modules/crm/records/ui";
import { normalizeCurrency, parseMoneyToMinor, zEmail, zLinkedIn, zPhone, zTags, zUrl } from "@/modules/crm/values/ui";
import type { ImportObject } from "./fields";

/** A problem with one cell (or the row): spreadsheet row number, the column's header, the message. */
export interface RowIssue {
  row: number;
  column: string | null;
  message: string;
  /** Warnings (e.g. a duplicate inside the file, skipped) do not block the commit. */
  level: "error" | "warning";
}

const personObject = z.object({
  first_name: zText("First name", 100),
  last_name: zText("Last name", 100),
  email: zEmail(),
  phone: zPhone(),
  title: zText("Job title", 150),
  source: zText("Source", 100),
  website: zUrl(),
  linkedin_url: zLinkedIn(),
  tags: zTags(),
  ...addressShape,
});

/** The person fields an import writes (references are resolved separately). */
export const personImportSchema = personObject.transform((v, ctx) => normalizeState(v, v.country, ctx));

const dealObject = z.object({
  name: zText("Name", 200),
  tags: zTags(),
  expected_close_date: z
    .string()
    .optional()
    .refine((s) => s === undefined || isIsoDate(s.trim()), "Enter the expected close date as YYYY-MM-DD, e.g. 2026-03-31")
    .transform((s) => s?.trim()),
  currency: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const r = normalizeCurrency(s);
      if (!r.ok) {
        ctx.issues.push({ code: "custom", message: r.message, input: s });
        return z.NEVER;
      }
      return r.value ?? undefined;
    }),
  value: z.string().optional(),
});

export interface RowValues {
  /** Normalised column values; only cells that were not blank. */
  values: Record<string, unknown>;
  custom: Record<string, unknown>;
  /** Reference texts still to resolve: company name, owner, pipeline, stage, person email. */
  refs: { company?: string; owner?: string; pipeline?: string; stage?: string; person?: string };
  issues: RowIssue[];
  blank: boolean;
}

export interface RowContext {
  object: ImportObject;
  /** Target per header index. */
  mapping: Record<string, string>;
  headers: readonly string[];
  customDefs: readonly CustomFieldDef[];
  /** The org's currency, for deal values without one. */
  defaultCurrency: string;
}

/** Prepares the per-row work once per import (column lists, schemas). */
export function rowReader(ctx: RowContext) {
  const columns = Object.entries(ctx.mapping)
    .map(([i, target]) => ({ index: Number(i), target, header: ctx.headers[Number(i)] ?? `Column ${Number(i) + 1}` }))
    .filter((c) => Number.isInteger(c.index) && c.target);
  const headerOf = new Map(columns.map((c) => [c.target, c.header]));
  const customSchema = customValuesSchema(ctx.customDefs, { mode: "update" });
  const customHeader = (key: string) => headerOf.get(`custom.${key}`) ?? null;
  const columnFor = (path: string) =>
    headerOf.get(path) ??
    (path === "first_name" || path === "last_name" ? headerOf.get("full_name") : undefined) ??
    null;
  const mainSchema = ctx.object === "person" ? personImportSchema : ctx.object === "company" ? companyCreateSchema : dealObject;

  return function read(cells: readonly string[], row: number): RowValues {
    const input: Record<string, string> = {};
    const custom: Record<string, string> = {};
    const refs: RowValues["refs"] = {};
    const issues: RowIssue[] = [];
    let blank = true;
    for (const c of columns) {
      const raw = cells[c.index] ?? "";
      if (raw.trim() === "") continue;
      blank = false;
      const t = c.target;
      if (t.startsWith("custom.")) custom[t.slice(7)] = raw;
      else if (t === "company" || t === "owner" || t === "pipeline" || t === "stage" || t === "person") refs[t] = raw.trim();
      else if (t === "full_name") {
        const name = raw.trim().replace(/\s+/g, " ");
        const cut = name.lastIndexOf(" ");
        if (input.first_name === undefined) input.first_name = cut < 0 ? name : name.slice(0, cut);
        if (input.last_name === undefined && cut >= 0) input.last_name = name.slice(cut + 1);
      } else input[t] = raw;
    }
    if (blank) return { values: {}, custom: {}, refs, issues, blank };

    let values: Record<string, unknown> = {};
    const parsed = mainSchema.safeParse(input);
    if (parsed.success) values = parsed.data as Record<string, unknown>;
    else {
      for (const i of parsed.error.issues) {
        const path = String(i.path[0] ?? "");
        issues.push({ row, column: columnFor(path), message: i.message, level: "error" });
      }
    }
    if (ctx.object === "deal" && parsed.success && input.value !== undefined) {
      const currency = (values.currency as string | undefined) ?? ctx.defaultCurrency;
      const money = parseMoneyToMinor(input.value, currency);
      if (!money.ok) issues.push({ row, column: columnFor("value"), message: money.message, level: "error" });
      else values.value_minor = money.value;
      delete values.value;
    }
    let customOut: Record<string, unknown> = {};
    if (Object.keys(custom).length) {
      const c = customSchema.safeParse(custom);
      if (c.success) customOut = c.data;
      else {
        for (const i of c.error.issues) {
          issues.push({ row, column: customHeader(String(i.path[0] ?? "")), message: i.message, level: "error" });
        }
      }
    }
    return { values: strip(values), custom: customOut, refs, issues, blank };
  };
}

function strip(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Required custom fields a new record lacks, as issues. */
export function missingRequired(
  defs: readonly CustomFieldDef[],
  custom: Record<string, unknown>,
  row: number,
  headerOf: (key: string) => string | null,
): RowIssue[] {
  return defs
    .filter((d) => d.required && (custom[d.key] === undefined || custom[d.key] === null || (d.type === "checkbox" && custom[d.key] === false)))
    .map((d) => ({
      row,
      column: headerOf(d.key),
      message: d.type === "checkbox" ? `${d.label} must be checked` : `${d.label} is required`,
      level: "error" as const,
    }));
}
