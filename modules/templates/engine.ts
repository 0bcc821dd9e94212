// The one variable engine of texts and email: `{{first_name}}`, and
// `{{first_name|there}}` whose fallback stands in when the record has no
// value. Saving a template, previewing it, the compose drawers and the sends
// all read variables here, so what the editor accepts is what a send fills.
// Plain web-standard code with no imports: Edge Functions run it too.

export const TEMPLATE_VARIABLES = [
  { key: "first_name", label: "First name", about: "the person's or lead's first name" },
  { key: "last_name", label: "Last name", about: "the person's or lead's last name" },
  { key: "full_name", label: "Full name", about: "the person's or lead's full name" },
  { key: "email", label: "Email", about: "their email address" },
  { key: "phone", label: "Phone", about: "their phone number" },
  { key: "company", label: "Company", about: "their company's name" },
  { key: "deal_name", label: "Deal name", about: "the deal's name (on a deal)" },
  { key: "deal_value", label: "Deal value", about: "the deal's value with its currency (on a deal)" },
  { key: "owner_name", label: "Owner's name", about: "the name of the record's owner" },
  { key: "my_name", label: "My name", about: "the sender's name" },
  { key: "my_first_name", label: "My first name", about: "the sender's first name" },
  { key: "org_name", label: "Organization", about: "your organization's name" },
] as const;

export type VariableKey = (typeof TEMPLATE_VARIABLES)[number]["key"];
/** A record's values; null, undefined or blank: the record has none. */
export type VariableValues = Partial<Record<VariableKey, string | null>>;

const KEYS = new Set<string>(TEMPLATE_VARIABLES.map((v) => v.key));
// {{ name }} or {{ name | fallback }}; the fallback may be empty ({{company|}}: leave it out).
const TOKEN = /\{\{([^{}|]*)(?:\|([^{}]*))?\}\}/g;

export interface VariableUse {
  name: string;
  fallback: string | null;
}

/** Every variable `text` uses, in order. */
export function variablesIn(text: string): VariableUse[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ name: m[1].trim(), fallback: m[2] === undefined ? null : m[2].trim() }));
}

export interface TextProblems {
  /** Names used that are not variables, as typed. */
  unknown: string[];
  /** A `{{` or `}}` that opens or closes no variable. */
  unbalanced: boolean;
}

/** What is wrong with the variables of `text`, if anything. */
export function problemsOf(text: string): TextProblems | null {
  const unknown = [...new Set(variablesIn(text).map((v) => v.name).filter((n) => !KEYS.has(n)))];
  const rest = text.replace(TOKEN, "");
  const unbalanced = rest.includes("{{") || rest.includes("}}");
  return unknown.length || unbalanced ? { unknown, unbalanced } : null;
}

/** `problems` in a sentence that names each unknown variable. */
export function describeProblems(problems: TextProblems, where: string): string {
  if (problems.unknown.length) {
    const names = problems.unknown.map((n) => `{{${n}}}`).join(", ");
    return `${where} uses ${problems.unknown.length === 1 ? "an unknown variable" : "unknown variables"}: ${names}. Use one of the listed variables.`;
  }
  return `${where} has a {{ or }} that is not part of a variable. Write variables as {{first_name}} or {{first_name|fallback}}.`;
}

export interface Rendered {
  text: string;
  /** Variables with no value on this record and no fallback; their tokens are left in `text`. */
  missing: VariableKey[];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * `text` with its variables filled from `values`: a value, else the
 * fallback, else the token stays as typed and is reported in `missing`, so
 * the caller refuses to send it. In `html`, values are escaped (a fallback
 * is already the editor's HTML). Unknown names are left for `problemsOf`.
 */
export function render(text: string, values: VariableValues, opts: { html?: boolean } = {}): Rendered {
  const missing = new Set<VariableKey>();
  const out = text.replace(TOKEN, (whole, rawName: string, fallback: string | undefined) => {
    const name = rawName.trim();
    if (!KEYS.has(name)) return whole;
    const value = values[name as VariableKey]?.trim();
    if (value) return opts.html ? escapeHtml(value) : value;
    if (fallback !== undefined) return fallback.trim();
    missing.add(name as VariableKey);
    return whole;
  });
  return { text: out, missing: [...missing] };
}

/** "{{company}} and {{deal_name}}": how a refusal names what is missing. */
export const listTokens = (names: readonly string[]) => names.map((n) => `{{${n}}}`).join(", ");
