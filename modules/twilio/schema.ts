// Input of Settings → Numbers, checked the same in the browser and on the server.
import { z } from "zod";
import { isTimeZone } from "@/lib/time";
import { normalizePhone } from "@/modules/crm/values/ui";

const sid = (prefix: "AC" | "SK", what: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `The ${what} starts with ${prefix} followed by 32 letters and digits`)
    .transform((v) => `${prefix}${v.slice(2).toLowerCase()}`);

const secretText = (what: string) =>
  z
    .string()
    .trim()
    .min(16, `Paste the ${what} (it is longer than that)`)
    .max(200, `That is longer than any Twilio ${what}`)
    .regex(/^[A-Za-z0-9]+$/, `A Twilio ${what} has only letters and digits`);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const connectTwilioSchema = z
  .object({
    accountSid: sid("AC", "Account SID"),
    authToken: secretText("auth token"),
    apiKeySid: optional(sid("SK", "API key SID")),
    apiKeySecret: optional(secretText("API key secret")),
  })
  .superRefine((v, ctx) => {
    if (v.apiKeySid && !v.apiKeySecret) ctx.addIssue({ code: "custom", path: ["apiKeySecret"], message: "Paste the API key's secret too" });
    if (v.apiKeySecret && !v.apiKeySid) ctx.addIssue({ code: "custom", path: ["apiKeySid"], message: "Give the API key's SID too" });
  });
export type ConnectTwilioInput = z.input<typeof connectTwilioSchema>;

export const e164Schema = z.string().transform((v, ctx) => {
  const r = normalizePhone(v);
  if (!r.ok || !r.value) {
    ctx.addIssue({ code: "custom", message: r.ok ? "Enter the number" : r.message });
    return z.NEVER;
  }
  return r.value;
});

const phoneFields = z.object({
  number: e164Schema,
  label: z.string().trim().max(100, "Keep the label under 100 characters").default(""),
  smsEnabled: z.boolean().default(true),
  voiceEnabled: z.boolean().default(true),
  defaultOwnerId: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.uuid("Choose a member").nullable()),
  defaultTeamId: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.uuid("Choose a team").nullable()),
});
const someUse = (v: { smsEnabled: boolean; voiceEnabled: boolean }) => v.smsEnabled || v.voiceEnabled;
const someUseError = { path: ["smsEnabled"], message: "A number needs texts, calls or both" };
// A number's texts from strangers go to one member or one team (or to routing), never both.
const oneDefault = (v: { defaultOwnerId: string | null; defaultTeamId: string | null }) => !(v.defaultOwnerId && v.defaultTeamId);
const oneDefaultError = { path: ["defaultTeamId"], message: "Choose an owner or a team, not both" };

export const phoneSchema = phoneFields.refine(someUse, someUseError).refine(oneDefault, oneDefaultError);
export type PhoneInput = z.input<typeof phoneSchema>;

export const phoneUpdateSchema = phoneFields
  .omit({ number: true })
  .extend({ id: z.uuid("Unknown number") })
  .refine(someUse, someUseError)
  .refine(oneDefault, oneDefaultError);

/** The one choice the form shows for a number's default: "", "user:<id>" or "team:<id>". */
export function defaultChoice(v: { defaultOwnerId: string | null; defaultTeamId: string | null }): string {
  return v.defaultTeamId ? `team:${v.defaultTeamId}` : v.defaultOwnerId ? `user:${v.defaultOwnerId}` : "";
}

export function defaultsOf(choice: string): { defaultOwnerId: string; defaultTeamId: string } {
  const [kind, id = ""] = choice.split(":");
  return { defaultOwnerId: kind === "user" ? id : "", defaultTeamId: kind === "team" ? id : "" };
}
export const phoneRefSchema = z.object({ id: z.uuid("Unknown number") });

/** ISO days of the week, Monday first, as phones.business_days keeps them. */
export const WEEKDAYS = [
  [1, "Mon"],
  [2, "Tue"],
  [3, "Wed"],
  [4, "Thu"],
  [5, "Fri"],
  [6, "Sat"],
  [7, "Sun"],
] as const;

const spoken = (what: string) =>
  z.string().trim().min(1, `Write ${what}`).max(500, "Keep it under 500 characters (about half a minute of speech)");
const seconds = (min: number, max: number) =>
  z.coerce.number({ error: "A number of seconds" }).int("Whole seconds").min(min, `At least ${min} seconds`).max(max, `At most ${max} seconds`);
const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "A time like 09:00");

/** How a number answers calls (Settings → Numbers → Calls). */
export const phoneVoiceSchema = z
  .object({
    id: z.uuid("Unknown number"),
    greeting: spoken("what callers hear first"),
    greetingUrl: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? null : v),
      z.string().trim().max(2000, "Keep the address under 2,000 characters").regex(/^https?:\/\/\S+$/, "An audio file's address, starting with https://").nullable(),
    ),
    forwardTimeoutSeconds: seconds(5, 60),
    voicemailGreeting: spoken("what callers hear before the beep"),
    voicemailMaxSeconds: seconds(10, 600),
    afterHoursGreeting: spoken("what callers hear after hours"),
    businessHoursEnabled: z.boolean(),
    timeZone: z.string().refine(isTimeZone, "Choose a time zone, e.g. America/Chicago"),
    days: z.array(z.number().int().min(1).max(7)).min(1, "Choose at least one open day").transform((d) => [...new Set(d)].sort()),
    opens: clock,
    closes: clock,
  })
  .refine((v) => v.opens !== v.closes, { path: ["closes"], message: "Closing must differ from opening (close before opening to stay open past midnight)" });
export type PhoneVoiceInput = z.input<typeof phoneVoiceSchema>;
