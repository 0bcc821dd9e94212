import { z } from "zod";
import { isIsoDate, zString } from "@/lib/validation";
import { API_FAMILIES, API_SCOPES, type ApiFamily, type ApiScope } from "@/lib/api/scopes";
import { DEFAULT_TIME_ZONE, startOfDay } from "@/lib/time";

/** Expiry choices offered when creating a key; `custom` takes a date. */
export const EXPIRY_CHOICES = [
  { value: "never", label: "No expiry" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In 1 year" },
  { value: "custom", label: "On a date…" },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]["value"];

const DAY_MS = 24 * 3600 * 1000;

/** `yyyy-mm-dd` of `date` in UTC, as a date input shows it. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * When a key made at `now` with this choice stops working: the end of the
 * chosen day in the member's zone, so a key "expiring on" a date still works
 * all that day.
 */
export function expiryFrom(
  choice: ExpiryChoice,
  expiresOn: string | undefined,
  now = new Date(),
  timeZone = DEFAULT_TIME_ZONE,
): Date | null {
  if (choice === "never") return null;
  if (choice === "custom") return startOfDay(isoDate(new Date(Date.parse(`${expiresOn}T00:00:00Z`) + DAY_MS)), timeZone);
  return new Date(now.getTime() + Number(choice) * DAY_MS);
}

/** The "Create key" form, validated alike in the browser and in the action. */
export const createKeySchema = z
  .object({
    name: zString("Name").trim().min(1, "Name the key").max(100, "At most 100 characters"),
    scopes: z
      .array(z.enum(API_SCOPES as unknown as [ApiScope, ...ApiScope[]], { error: "Not a known scope" }))
      .min(1, "Choose at least one scope"),
    expiry: z.enum(EXPIRY_CHOICES.map((c) => c.value) as [ExpiryChoice, ...ExpiryChoice[]], {
      error: "Choose when the key expires",
    }),
    expiresOn: zString("Expiry date").trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.expiry !== "custom") return;
    const on = v.expiresOn ?? "";
    if (!isIsoDate(on)) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Pick the date the key expires" });
    } else if (on < isoDate(new Date())) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "The date is in the past" });
    } else if (on > isoDate(new Date(Date.now() + 5 * 365 * DAY_MS))) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "At most 5 years from today" });
    }
  });
export type CreateKeyInput = z.input<typeof createKeySchema>;

export const keyIdSchema = z.object({ id: z.uuid({ error: "Not a key id" }) });

export const renameKeySchema = z.object({
  id: z.uuid({ error: "Not a key id" }),
  name: zString("Name").trim().min(1, "Name the key").max(100, "At most 100 characters"),
});
export type RenameKeyInput = z.input<typeof renameKeySchema>;

/** A key's scopes per family, in the order of API_FAMILIES, for display. */
export function scopesByFamily(scopes: readonly string[]): { family: ApiFamily; read: boolean; write: boolean }[] {
  const set = new Set(scopes);
  return API_FAMILIES.map((family) => ({
    family,
    read: set.has(`${family}:read`),
    write: set.has(`${family}:write`),
  })).filter((f) => f.read || f.write);
}
