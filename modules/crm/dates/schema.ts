import { z } from "zod";
import { isIsoDate, zString } from "@/lib/validation";

/** The reminder choices the form offers; the database takes any 0–365. */
export const REMIND_CHOICES = [
  { days: null, label: "No reminder" },
  { days: 0, label: "On the day" },
  { days: 1, label: "1 day before" },
  { days: 3, label: "3 days before" },
  { days: 7, label: "7 days before" },
  { days: 14, label: "14 days before" },
  { days: 30, label: "30 days before" },
] as const;

export function remindLabel(days: number | null): string {
  if (days === null) return "No reminder";
  if (days === 0) return "Reminder on the day";
  return `Reminder ${days} day${days === 1 ? "" : "s"} before`;
}

const inYears = (date: string) => {
  const year = Number(date.slice(0, date.indexOf("-")));
  return year >= 1900 && year <= 2999;
};

/** An important date as the form, the server action and the REST API take it. */
export const dealDateSchema = z.object({
  kind: zString("Kind").trim().min(1, "Choose or type a kind").max(60, "At most 60 characters"),
  date: zString("Date")
    .trim()
    .refine((s) => s.length > 0, { error: "Enter a date", abort: true })
    // A slip in the year ("0026") is a date the browser's box accepts.
    .refine((s) => !/^\d+-/.test(s) || inYears(s), { error: "Enter a year from 1900 to 2999", abort: true })
    .refine(isIsoDate, "Enter a date as YYYY-MM-DD"),
  note: zString("Note")
    .trim()
    .max(1000, "At most 1,000 characters")
    .nullish()
    .transform((s) => s || null),
  // "" or null: no reminder; the form's select sends its value as text.
  remindDaysBefore: z
    .union([z.string(), z.number(), z.null()], { error: "Choose when to be reminded" })
    .optional()
    .transform((v, ctx) => {
      if (v === null || v === undefined || v === "") return null;
      const n = typeof v === "number" ? v : Number(v.trim());
      if (Number.isInteger(n) && n >= 0 && n <= 365) return n;
      ctx.addIssue({ code: "custom", message: "Choose 0 to 365 days before, or no reminder" });
      return z.NEVER;
    }),
});

export type DealDateInput = z.output<typeof dealDateSchema>;

export const dealDateIdSchema = z.uuid({ error: "Not a valid id" });
