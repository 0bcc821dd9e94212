// Input of Settings → Numbers, checked the same in the browser and on the server.
import { z } from "zod";
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
