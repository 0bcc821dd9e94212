// Validation of custom field values, shared by forms (client and server),
// the REST API and CSV import. The database trigger
// private.check_custom_fields checks again on every write; this gives the
// friendly per-field message first.

import { z } from "zod";
import { hasNul, isIsoDate, nulMessage, zString } from "@/lib/validation";
import { normalizeEmail, normalizePhone, normalizeUrl, type Normalized } from "@/modules/crm/values/ui";
import {
  CRM_OBJECTS,
  CUSTOM_FIELD_TYPES,
  type CustomFieldDef,
  type CustomFieldOption,
  type CustomValue,
  type CustomValues,
} from "./types";

const MAX_TEXT = 10000;
const TRUE_WORDS = new Set(["true", "on", "yes", "y", "1", "checked", "x"]);
const FALSE_WORDS = new Set(["false", "off", "no", "n", "0", "unchecked", ""]);

type Def = Pick<CustomFieldDef, "key" | "label" | "type" | "options" | "required">;

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);

function matchOption(options: readonly CustomFieldOption[], raw: string): string | null {
  const s = raw.trim();
  const exact = options.find((o) => o.value === s);
  if (exact) return exact.value;
  // Imports and API callers often send what they see: the label, in any case.
  const lower = s.toLowerCase();
  return options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower)?.value ?? null;
}

function optionList(options: readonly CustomFieldOption[]) {
  const labels = options.slice(0, 8).map((o) => `"${o.label}"`);
  return labels.join(", ") + (options.length > 8 ? ", …" : "");
}

function parseNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string") return null;
  // "1,234.5" and "1 234.5" as typed; a comma is a thousands separator here.
  const s = v.trim().replace(/[\s,_]/g, "");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) && Math.abs(n) < 1e15 ? n : null;
}

const nulIn = (v: unknown) => (typeof v === "string" ? hasNul(v) : Array.isArray(v) && v.some((item) => typeof item === "string" && hasNul(item)));

function fromNormalizer(label: string, v: unknown, fn: (s: string) => Normalized<string | null>): Normalized<CustomValue | null> {
  if (typeof v !== "string") return { ok: false, message: `${label} must be text` };
  const r = fn(v);
  return r.ok ? r : { ok: false, message: `${label}: ${r.message}` };
}

/**
 * One custom value, from a form string or an API value, in its stored form.
 * Blank input is `{ ok: true, value: null }`; `required` is not checked here.
 * Fast enough to run per cell of a large import.
 */
export function normalizeCustomValue(def: Def, v: unknown): Normalized<CustomValue | null> {
  const { label } = def;
  if (nulIn(v)) return { ok: false, message: nulMessage(label) };
  if (def.type !== "checkbox" && isBlank(v)) return { ok: true, value: null };
  switch (def.type) {
    case "text": {
      if (typeof v !== "string" && typeof v !== "number") return { ok: false, message: `${label} must be text` };
      const s = String(v).trim();
      return s.length > MAX_TEXT
        ? { ok: false, message: `${label} can be at most ${MAX_TEXT} characters` }
        : { ok: true, value: s };
    }
    case "number": {
      const n = parseNumber(v);
      return n === null ? { ok: false, message: `${label} must be a number, e.g. 1,234.5` } : { ok: true, value: n };
    }
    case "date": {
      const s = v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : typeof v === "string" ? v.trim() : "";
      return isIsoDate(s) ? { ok: true, value: s } : { ok: false, message: `${label} must be a date (YYYY-MM-DD)` };
    }
    case "checkbox": {
      if (typeof v === "boolean") return { ok: true, value: v };
      if (v === undefined || v === null) return { ok: true, value: null };
      const s = String(v).trim().toLowerCase();
      if (TRUE_WORDS.has(s)) return { ok: true, value: true };
      if (FALSE_WORDS.has(s)) return { ok: true, value: false };
      return { ok: false, message: `${label} must be checked or unchecked (yes/no)` };
    }
    case "select": {
      if (typeof v !== "string") return { ok: false, message: `${label} must be one of ${optionList(def.options)}` };
      const value = matchOption(def.options, v);
      return value === null
        ? { ok: false, message: `${label}: "${v.trim().slice(0, 40)}" is not an option (choose ${optionList(def.options)})` }
        : { ok: true, value };
    }
    case "multi_select": {
      const items = typeof v === "string" ? v.split(/[,;\n]/) : Array.isArray(v) ? v : null;
      if (!items) return { ok: false, message: `${label} must be a list of options` };
      const out: string[] = [];
      for (const item of items) {
        if (typeof item !== "string") return { ok: false, message: `${label} must be a list of options` };
        if (item.trim() === "") continue;
        const value = matchOption(def.options, item);
        if (value === null) {
          return { ok: false, message: `${label}: "${item.trim().slice(0, 40)}" is not an option (choose ${optionList(def.options)})` };
        }
        if (!out.includes(value)) out.push(value);
      }
      return { ok: true, value: out.length ? out : null };
    }
    case "url":
      return fromNormalizer(label, v, normalizeUrl);
    case "email":
      return fromNormalizer(label, v, normalizeEmail);
    case "phone":
      return fromNormalizer(label, v, (s) => normalizePhone(s));
  }
}

export function isMissingRequired(def: Def, value: CustomValue | null): boolean {
  return def.required && (value === null || (def.type === "checkbox" && value === false));
}

/**
 * The zod schema of a record's `custom` object for these (active) field
 * definitions. Nest it as `custom: customValuesSchema(defs)` so issues read
 * `custom.<key>` (messages name the field's label).
 *
 * Accepts form strings and API values and outputs stored values. A key given
 * blank comes out as `null`: the database strips nulls, so the same output
 * works for an insert, a full replacement and a merge into the stored object
 * (`custom || patch`) that clears it. Absent keys stay absent.
 *
 * mode "create": required fields must have a value. "update": a required
 * field may be left out (the stored value stays) but not cleared.
 * Unknown keys are refused.
 */
export function customValuesSchema(defs: readonly Def[], opts: { mode?: "create" | "update" } = {}) {
  const mode = opts.mode ?? "create";
  const byKey = new Map(defs.map((d) => [d.key, d]));
  return z
    .record(zString("Custom field name"), z.unknown(), { error: "Custom fields must be an object" })
    .optional()
    .transform((input, ctx) => {
      const out: Record<string, CustomValue | null> = {};
      const given = input ?? {};
      for (const [key, raw] of Object.entries(given)) {
        const def = byKey.get(key);
        if (!def) {
          ctx.addIssue({ code: "custom", message: `There is no custom field "${key}"`, path: [key] });
          continue;
        }
        const r = normalizeCustomValue(def, raw);
        if (!r.ok) {
          ctx.addIssue({ code: "custom", message: r.message, path: [key] });
          continue;
        }
        if (isMissingRequired(def, r.value)) {
          ctx.addIssue({ code: "custom", message: requiredMessage(def), path: [key] });
          continue;
        }
        out[key] = r.value;
      }
      if (mode === "create") {
        for (const def of defs) {
          if (def.required && !(def.key in given)) {
            ctx.addIssue({ code: "custom", message: requiredMessage(def), path: [def.key] });
          }
        }
      }
      return out;
    });
}

function requiredMessage(def: Def) {
  return def.type === "checkbox" ? `${def.label} must be checked` : `${def.label} is required`;
}

/** Without the nulls of cleared fields: what an insert stores. */
export function compactCustom(values: Record<string, CustomValue | null>): CustomValues {
  const out: CustomValues = {};
  for (const [k, v] of Object.entries(values)) if (v !== null) out[k] = v;
  return out;
}

/**
 * The `custom` object of a plain form post: inputs named `custom.<key>`
 * (multi-selects post one entry per checked option; an unchecked checkbox
 * posts nothing and is read as false).
 */
export function customValuesFromFormData(form: FormData, defs: readonly Def[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs) {
    const name = `custom.${def.key}`;
    if (def.type === "multi_select") {
      const all = form.getAll(name).filter((v): v is string => typeof v === "string");
      if (form.has(name) || form.has(`${name}.present`)) out[def.key] = all;
    } else if (def.type === "checkbox") {
      if (form.has(name) || form.has(`${name}.present`)) out[def.key] = form.get(name) ?? false;
    } else if (form.has(name)) {
      out[def.key] = form.get(name);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Definitions (settings)

export const FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** "Annual budget (USD)" → "annual_budget_usd". */
export function slugifyKey(label: string): string {
  const s = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^(\d)/, "f_$1")
    .slice(0, 40)
    .replace(/_+$/, "");
  return s || "field";
}

const label = zString("Label").trim().min(1, "Enter a label").max(80, "Labels can be at most 80 characters");

const optionsSchema = z
  .array(
    z.object({
      value: zString("Option").trim().min(1, "Every option needs a value").max(100, "Options can be at most 100 characters"),
      label: zString("Option label").trim().max(100, "Options can be at most 100 characters").optional(),
    }),
  )
  .max(200, "At most 200 options")
  .transform((opts) => opts.map((o) => ({ value: o.value, label: o.label || o.value })))
  .superRefine((opts, ctx) => {
    const seen = new Set<string>();
    for (const o of opts) {
      const k = o.value.toLowerCase();
      if (seen.has(k)) ctx.addIssue({ code: "custom", message: `The option "${o.value}" is listed twice` });
      seen.add(k);
    }
  });

function withOptions<T extends { type: string; options: CustomFieldOption[] }>(v: T, ctx: z.RefinementCtx) {
  if ((v.type === "select" || v.type === "multi_select") && v.options.length === 0) {
    ctx.addIssue({ code: "custom", message: "Add at least one option", path: ["options"] });
  }
}

export const createFieldSchema = z
  .object({
    objectType: z.enum(CRM_OBJECTS, { error: "Choose a record type" }),
    label,
    key: zString("Key")
      .trim()
      .regex(
        FIELD_KEY_PATTERN,
        "Keys start with a letter and use lower-case letters, digits and underscores (at most 40)",
      ),
    type: z.enum(CUSTOM_FIELD_TYPES as [string, ...string[]], { error: "Choose a field type" }),
    options: optionsSchema.default([]),
    required: z.boolean().default(false),
  })
  .superRefine(withOptions)
  .transform((v) => ({ ...v, options: v.type === "select" || v.type === "multi_select" ? v.options : [] }));

export const updateFieldSchema = z.object({
  id: z.uuid(),
  label,
  options: optionsSchema.default([]),
  required: z.boolean().default(false),
});

export const reorderFieldsSchema = z.object({
  objectType: z.enum(CRM_OBJECTS),
  ids: z.array(z.uuid()).min(1).max(500),
});

export const fieldIdSchema = z.object({ id: z.uuid() });

export type CreateFieldInput = z.input<typeof createFieldSchema>;
export type UpdateFieldInput = z.input<typeof updateFieldSchema>;
