/**
 * Normalisers for CRM field values. Every write path (forms, REST API, CSV import) runs values through these, so
 * the same input is stored the same way whichever door it came in by.
 *
 * Each normaliser takes raw text and returns a `Normalized<T>`: `{ ok: true, value }` with the stored form, or
 * `{ ok: false, message }` with a sentence a user can act on. Blank input (empty or only whitespace) is
 * `{ ok: true, value: null }` — a cleared field — except tags, which are a list and come back as `[]`.
 *
 * They run once per cell on imports of 100k rows: module-level tables and caches, no per-call setup.
 */
import type { CountryCode } from "libphonenumber-js/max";
import { z } from "zod";
import { refuseNul, zString } from "@/lib/validation";
import { normalizeCurrency, parseMoneyToMinor } from "./money";
import { normalizeEmail, normalizePhone, normalizeUsState } from "./contact";
import { blank, type Normalized, rejected } from "./result";

export type { Normalized } from "./result";
export { isUnitedStates, normalizeEmail, normalizePhone, normalizeUsState, US_STATE_OPTIONS } from "./contact";
// Money lives in its own module so that pages formatting amounts in the browser don't ship phone metadata;
// re-exported here so every normaliser is reachable from one place.
export { currencyMinorDigits, formatMoney, minorToDecimal, normalizeCurrency, parseMoneyToMinor } from "./money";

// ---------------------------------------------------------------------------------------------------------------
// URLs, LinkedIn, domains

const URL_MESSAGE = "Enter a valid web address, e.g. https://example.com";
const HAS_SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
// "mailto:x" or "javascript:x" — a scheme without "//". A host followed by a port ("example.com:8080") is not one.
const OTHER_SCHEME_RE = /^[a-z][a-z0-9+.-]*:(?!\d)/i;
// The URL parser accepts "https://intranet" and IP addresses; a website on a CRM record has a public name.
const PUBLIC_HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function parseWebUrl(input: string): URL | string {
  let s = input;
  if (s.startsWith("//")) s = `https:${s}`;
  else if (!HAS_SCHEME_RE.test(s)) {
    if (OTHER_SCHEME_RE.test(s)) return "Only http and https links are allowed";
    s = `https://${s}`;
  }
  if (s.length > 2048) return "Web addresses can be at most 2048 characters";
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return URL_MESSAGE;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only http and https links are allowed";
  if (url.username || url.password) return "Web addresses can't contain a user name or password";
  if (!PUBLIC_HOST_RE.test(url.hostname)) return URL_MESSAGE;
  return url;
}

/** An http(s) URL; `https://` is assumed when the scheme is missing. A bare host keeps no trailing slash. */
export function normalizeUrl(input: string): Normalized<string | null> {
  const s = input.trim();
  if (s === "") return blank;
  const url = parseWebUrl(s);
  if (typeof url === "string") return rejected(url);
  const bareHost = url.pathname === "/" && !url.search && !url.hash;
  return { ok: true, value: bareHost ? url.origin : url.href };
}

/** The host of a URL or bare domain, lower-case and without "www.": `https://www.Example.com/x` → `example.com`. */
export function normalizeDomain(input: string): Normalized<string | null> {
  const s = input.trim();
  if (s === "") return blank;
  const url = parseWebUrl(s);
  if (typeof url === "string") return rejected("Enter a valid domain, e.g. example.com");
  const host = url.hostname.startsWith("www.") ? url.hostname.slice(4) : url.hostname;
  return { ok: true, value: host };
}

const LINKEDIN_RE =
  /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)?linkedin\.com\/(in|company)\/([^/?#\s]+)\/?(?:[/?#].*)?$/i;
// LinkedIn's custom URLs are 3–100 letters, digits and hyphens; letters may be non-Latin. Company pages may be
// numeric IDs and sometimes carry underscores or dots.
const LINKEDIN_SLUG_RE = /^[\p{L}\p{N}_.-]{2,100}$/u;

/** A LinkedIn profile or company page as `https://www.linkedin.com/in/<slug>` (or `/company/<slug>`). */
export function normalizeLinkedIn(input: string): Normalized<string | null> {
  const s = input.trim();
  if (s === "") return blank;
  const match = LINKEDIN_RE.exec(s);
  if (match) {
    let slug = match[2];
    try {
      slug = decodeURIComponent(slug);
    } catch {
      // A stray "%" that isn't an escape: the slug check below rejects it.
    }
    slug = slug.toLowerCase();
    if (LINKEDIN_SLUG_RE.test(slug)) {
      return { ok: true, value: `https://www.linkedin.com/${match[1].toLowerCase()}/${encodeURIComponent(slug)}` };
    }
  }
  return rejected("Enter a LinkedIn profile or company URL, e.g. linkedin.com/in/ada-lovelace");
}

// ---------------------------------------------------------------------------------------------------------------
// Tags

export const MAX_TAG_LENGTH = 50;
export const MAX_TAGS = 50;

/**
 * Tags from comma-separated text or a list (whose items may themselves hold commas). Spaces are collapsed, case
 * is kept, and duplicates are dropped ignoring case — the first spelling wins. Blank input is `[]`.
 */
export function normalizeTags(input: string | readonly string[]): Normalized<string[]> {
  const parts = typeof input === "string" ? input.split(",") : input.flatMap((item) => item.split(","));
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of parts) {
    const tag = part.replace(/\s+/g, " ").trim();
    if (tag === "") continue;
    if (tag.length > MAX_TAG_LENGTH) return rejected(`Tag “${tag.slice(0, 20)}…” is longer than ${MAX_TAG_LENGTH} characters`);
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return rejected(`A record can have at most ${MAX_TAGS} tags`);
  return { ok: true, value: tags };
}

// ---------------------------------------------------------------------------------------------------------------
// zod helpers

/**
 * A zod schema for an optional field normalised by `normalize`: `undefined` stays `undefined` (not sent — an
 * update leaves the field alone), `null` and blank text become `null` (cleared), anything else is normalised or
 * fails with the normaliser's message on that field's path.
 */
function normalizedField<T>(normalize: (s: string) => Normalized<T>) {
  return zString(undefined, { error: "Must be text" })
    .nullish()
    .transform((s, ctx): T | null | undefined => {
      if (s == null) return s;
      const result = normalize(s);
      if (!result.ok) {
        ctx.issues.push({ code: "custom", message: result.message, input: s });
        return z.NEVER;
      }
      return result.value;
    });
}

export const zEmail = () => normalizedField(normalizeEmail);
export const zPhone = (defaultCountry: CountryCode = "US") => normalizedField((s) => normalizePhone(s, defaultCountry));
/** A state that must be a US one. When it depends on the record's country, see `takeNormalized`. */
export const zUsState = () => normalizedField((s) => normalizeUsState(s));
export const zUrl = () => normalizedField(normalizeUrl);
export const zLinkedIn = () => normalizedField(normalizeLinkedIn);
export const zDomain = () => normalizedField(normalizeDomain);
export const zCurrency = () => normalizedField(normalizeCurrency);

/** An amount in `currency`, as text or a number, to minor units (see parseMoneyToMinor). */
export const zMoneyMinor = (currency: string, options?: { allowNegative?: boolean }) =>
  z
    .union([zString("The amount"), z.number()], { error: "Enter an amount, e.g. 1,234.56" })
    .nullish()
    .transform((v, ctx): number | null | undefined => {
      if (v == null) return v;
      const result = parseMoneyToMinor(v, currency, options);
      if (!result.ok) {
        ctx.issues.push({ code: "custom", message: result.message, input: v });
        return z.NEVER;
      }
      return result.value;
    });

/** Tags as comma-separated text or a list; `undefined` stays `undefined`, `null` and blank become `[]`. */
export const zTags = () =>
  z
    .union([z.string(), z.array(z.string())], { error: "Enter tags as text separated by commas" })
    .nullish()
    .transform((v, ctx): string[] | undefined => {
      if (v === undefined) return undefined;
      if (refuseNul(v, ctx, "A tag")) return z.NEVER;
      const result = normalizeTags(v ?? []);
      if (!result.ok) {
        ctx.issues.push({ code: "custom", message: result.message, input: v });
        return z.NEVER;
      }
      return result.value;
    });

/**
 * For rules that depend on a sibling field — a state on the record's country, an amount on the deal's currency:
 * call the normaliser in the object's `.transform` and take its value through this, which reports a failure as
 * an issue on `path`.
 *
 *   .transform((v, ctx) => ({
 *     ...v,
 *     state: v.state == null ? v.state : takeNormalized(ctx, ["state"], normalizeUsState(v.state, v.country)),
 *   }))
 */
export function takeNormalized<T>(ctx: z.core.$RefinementCtx, path: PropertyKey[], result: Normalized<T>): T {
  if (result.ok) return result.value;
  ctx.issues.push({ code: "custom", message: result.message, path, input: undefined });
  return z.NEVER;
}
