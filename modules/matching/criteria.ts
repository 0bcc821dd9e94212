// How well a candidate fits: each of the pairing's criteria (org data,
// match_criteria) read on both deals and explained in words, met, unmet or
// unknown. Missing data is said, never guessed: a criterion whose value is
// not recorded on either deal is "unknown", and ranks below a met one and
// above an unmet one. Pure, so the suggestions, the picker and the tests
// explain a fit the same way.
import { currencyMinorDigits, formatMoney } from "@/modules/crm/values/ui";

export type CriterionOperator = "eq" | "lte" | "gte" | "in" | "overlaps" | "in_list" | "not_in_list";

export interface Criterion {
  id: string;
  label: string;
  leftField: string;
  leftTerm: string;
  operator: CriterionOperator;
  rightField: string | null;
  rightTerm: string;
  values: string[];
}

/** What a criterion can read of one deal. */
export interface MatchSubject {
  valueMinor: number;
  currency: string;
  custom: Record<string, unknown>;
  person: { state: string | null; country: string | null; custom: Record<string, unknown> } | null;
}

export type Outcome = "met" | "unmet" | "unknown";

export interface Reason {
  criterionId: string;
  label: string;
  outcome: Outcome;
  text: string;
}

type Read = { kind: "money"; value: number; currency: string } | { kind: "number"; value: number } | { kind: "list"; value: string[] } | null;

function read(field: string, d: MatchSubject): Read {
  if (field === "deal.value") {
    // A deal without an amount has no budget: 0 is how the deal form leaves it.
    if (!d.valueMinor) return null;
    return { kind: "money", value: d.valueMinor / 10 ** currencyMinorDigits(d.currency), currency: d.currency };
  }
  let raw: unknown;
  if (field === "person.state") raw = d.person?.state;
  else if (field === "person.country") raw = d.person?.country;
  else if (field.startsWith("person.custom.")) raw = d.person?.custom[field.slice("person.custom.".length)];
  else if (field.startsWith("custom.")) raw = d.custom[field.slice("custom.".length)];
  if (raw === null || raw === undefined || raw === "") return null;
  if (typeof raw === "number") return { kind: "number", value: raw };
  if (Array.isArray(raw)) {
    const list = raw.map(String).filter(Boolean);
    return list.length ? { kind: "list", value: list } : null;
  }
  if (typeof raw === "boolean") return { kind: "list", value: [raw ? "Yes" : "No"] };
  const text = String(raw).trim();
  const n = Number(text);
  if (text && Number.isFinite(n) && /^-?\d/.test(text)) return { kind: "number", value: n };
  // A text field may hold a list as people type one: "TX, CA; WA".
  const list = text.split(/\s*[,;/]\s*/).filter(Boolean);
  return list.length ? { kind: "list", value: list } : null;
}

const same = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "accent" }) === 0;
const within = (items: string[], pool: string[]) => items.every((i) => pool.some((p) => same(i, p)));
const shared = (a: string[], b: string[]) => a.filter((i) => b.some((p) => same(i, p)));

function show(v: Exclude<Read, null>, money: string | null): string {
  if (v.kind === "list") return v.value.join(", ");
  const currency = v.kind === "money" ? v.currency : money;
  if (currency) return formatMoney(Math.round(v.value * 10 ** currencyMinorDigits(currency)), currency).replace(/\.00$/, "");
  return v.value.toLocaleString("en-US");
}

const numeric = (v: Exclude<Read, null>) => (v.kind === "list" ? null : v.value);

/** One criterion on a left deal and a right deal, explained. */
export function explain(c: Criterion, left: MatchSubject, right: MatchSubject): Reason {
  const base = { criterionId: c.id, label: c.label };
  const l = read(c.leftField, left);
  const list = c.operator === "in_list" || c.operator === "not_in_list";
  const r: Read = list ? { kind: "list", value: c.values } : read(c.rightField ?? "", right);
  if (!l || !r) {
    const missing = [!l ? c.leftTerm : null, !r && !list ? c.rightTerm : null].filter(Boolean).join(" and ");
    return { ...base, outcome: "unknown", text: `${c.label}: ${missing} not recorded` };
  }
  const money = l.kind === "money" ? l.currency : r.kind === "money" ? r.currency : null;
  const L = show(l, money);
  const R = show(r, money);
  switch (c.operator) {
    case "lte":
    case "gte": {
      const a = numeric(l);
      const b = numeric(r);
      if (a === null || b === null) return { ...base, outcome: "unknown", text: `${c.label}: ${a === null ? c.leftTerm : c.rightTerm} is not a number` };
      const met = c.operator === "lte" ? a <= b : a >= b;
      // The larger side first, as people say it: "Budget $80,000 ≥ expected $55,000".
      const [big, bigV, small, smallV] = c.operator === "lte" ? [c.rightTerm, R, c.leftTerm, L] : [c.leftTerm, L, c.rightTerm, R];
      return { ...base, outcome: met ? "met" : "unmet", text: `${big} ${bigV} ${met ? "≥" : "<"} ${small} ${smallV}` };
    }
    case "eq": {
      const met = l.kind === "list" && r.kind === "list" ? within(l.value, r.value) && within(r.value, l.value) : numeric(l) === numeric(r);
      return { ...base, outcome: met ? "met" : "unmet", text: `${c.leftTerm} ${L}: ${c.rightTerm} ${R}` };
    }
    case "in": {
      const met = l.kind === "list" && r.kind === "list" && within(l.value, r.value);
      return { ...base, outcome: met ? "met" : "unmet", text: met ? `${c.leftTerm} ${L}: ${c.rightTerm} ${L}` : `${c.leftTerm} ${L}: ${c.rightTerm} only ${R}` };
    }
    case "overlaps": {
      const both = l.kind === "list" && r.kind === "list" ? shared(l.value, r.value) : [];
      return { ...base, outcome: both.length ? "met" : "unmet", text: both.length ? `${c.label}: both ${both.join(", ")}` : `${c.leftTerm} ${L}; ${c.rightTerm} ${R}` };
    }
    case "in_list":
    case "not_in_list": {
      const on = l.kind === "list" && within(l.value, c.values);
      const met = c.operator === "in_list" ? on : !on;
      return { ...base, outcome: met ? "met" : "unmet", text: `${c.leftTerm} ${L}: ${on ? "" : "not "}${c.rightTerm}` };
    }
  }
}

export interface Fit {
  reasons: Reason[];
  met: number;
  unmet: number;
  unknown: number;
}

export function fit(criteria: Criterion[], left: MatchSubject, right: MatchSubject): Fit {
  const reasons = criteria.map((c) => explain(c, left, right));
  const count = (o: Outcome) => reasons.filter((r) => r.outcome === o).length;
  return { reasons, met: count("met"), unmet: count("unmet"), unknown: count("unknown") };
}

/** Best fit first: fewest unmet criteria, then most met; ties keep their order. */
export function byFit(a: Fit, b: Fit): number {
  return a.unmet - b.unmet || b.met - a.met;
}
