// The two edges every input crosses before it reaches the database: text
// that PostgreSQL can store, and dates that exist on the calendar. Every
// schema that accepts a string or a date from a user, a CSV file or an API
// caller builds on these, so the refusal names the field instead of the
// database failing the whole write.
import { z } from "zod";

/**
 * PostgreSQL text and jsonb cannot hold NUL (U+0000): a value with one fails
 * the whole statement. It has no use in a CRM's text either, so it is
 * refused, not stripped.
 */
export const hasNul = (s: string) => s.includes("\u0000");

export const nulMessage = (label = "The text") => `${label} contains a character that is not allowed (NUL)`;

// First among a string's checks, and aborting, so the field's other messages do not hide it.
const noNul = (label?: string) => ({ message: nulMessage(label), abort: true }) as const;

/**
 * A string that PostgreSQL can store; chain `.trim()`, `.max()` and the like
 * after it. `label` names the field in the refusal.
 */
export const zString = (label?: string, params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine((s) => !hasNul(s), noNul(label));

/**
 * Where a JSON value (a jsonb parameter: custom fields, metadata) holds a NUL
 * in a string or a key: the path to it, or null when there is none.
 */
export function nulPath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === "string") return hasNul(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (hasNul(k)) return [...path, k];
      const found = nulPath(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** In a refinement or transform of a JSON value: an issue at its first NUL, named by `label`; true when there was one. */
export function refuseNul(value: unknown, ctx: z.RefinementCtx, label?: string): boolean {
  const at = nulPath(value);
  if (at) ctx.addIssue({ code: "custom", path: at, message: nulMessage(label) });
  return at !== null;
}

const isoDate = z.iso.date();
const withOffset = z.union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })]);
const offsetOptional = z.union([
  z.iso.datetime({ offset: true, local: true }),
  z.iso.datetime({ offset: true, local: true, precision: -1 }),
]);

/**
 * A calendar day written YYYY-MM-DD that exists: 2026-02-31 is refused, not
 * rolled forward to March as `Date` would.
 */
export const isIsoDate = (s: string) => isoDate.safeParse(s).success;

/**
 * An ISO 8601 date and time, to the minute or finer, on a day that exists,
 * with an offset (Z or ±hh:mm); `local` also takes one without, as a
 * datetime-local input sends it, read in the parsing process's zone.
 */
export const isIsoDateTime = (s: string, opts: { local?: boolean } = {}) =>
  (opts.local ? offsetOptional : withOffset).safeParse(s).success;

/** The instant an ISO 8601 date and time names (see isIsoDateTime), or null when it names none. */
export const parseIsoDateTime = (s: string, opts: { local?: boolean } = {}): Date | null =>
  isIsoDateTime(s, opts) ? new Date(s) : null;
