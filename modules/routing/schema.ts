// What an admin may save as a routing rule or a partner, with the messages a
// form shows per field. The database checks the same limits again.
import { z } from "zod";
import { webhookUrlSchema } from "../webhooks/ui";

export const RULE_ACTIONS = ["assign", "round_robin", "partner"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];
export const RULE_ACTION_LABELS: Record<RuleAction, string> = {
  assign: "Assign to a user",
  round_robin: "Round-robin among users",
  partner: "Offer to a partner",
};
export const UTM_FIELDS = ["source", "medium", "campaign", "term", "content"] as const;

const state = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "Use 2-letter state codes, like CA");
const states = z.array(state).max(60, "At most 60 states");
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .transform((v) => v || null)
    .nullish();

export const ruleSchema = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name").max(120, "At most 120 characters"),
    enabled: z.boolean().default(true),
    sources: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).max(50).default([]),
    formIds: z.array(z.string().trim().min(1).max(200)).max(50, "At most 50 forms").default([]),
    states: states.default([]),
    utm: z.partialRecord(z.enum(UTM_FIELDS), z.string().trim().max(200, "At most 200 characters")).default({}),
    customField: optionalText(63),
    customValue: optionalText(500),
    action: z.enum(RULE_ACTIONS, "Choose what the rule does"),
    userIds: z.array(z.uuid()).max(100).default([]),
    partnerIds: z.array(z.uuid()).max(100).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.customField && !v.customValue) ctx.addIssue({ code: "custom", path: ["customValue"], message: "Give the value the field must hold" });
    if (v.customValue && !v.customField) ctx.addIssue({ code: "custom", path: ["customField"], message: "Choose the field" });
    if (v.action === "assign" && v.userIds.length !== 1) ctx.addIssue({ code: "custom", path: ["userIds"], message: "Choose the user" });
    if (v.action === "round_robin" && v.userIds.length < 1) ctx.addIssue({ code: "custom", path: ["userIds"], message: "Choose at least one user" });
    if (v.action === "partner" && v.partnerIds.length < 1) ctx.addIssue({ code: "custom", path: ["partnerIds"], message: "Choose at least one partner" });
  });
export type RuleInput = z.input<typeof ruleSchema>;

export const PARTNER_CHANNELS = ["email", "webhook", "both"] as const;
export type PartnerChannel = (typeof PARTNER_CHANNELS)[number];
export const PARTNER_CHANNEL_LABELS: Record<PartnerChannel, string> = {
  email: "Email",
  webhook: "Signed webhook",
  both: "Email and signed webhook",
};

export const partnerSchema = z
  .object({
  name: z.string().trim().min(1, "Give the partner a name").max(200, "At most 200 characters"),
  contactEmail: z.email("Enter an email address").trim().max(320),
  phone: z
    .string()
    .trim()
    .regex(/^\+[1-9][0-9]{6,14}$/, "Use the international form, like +14155550100")
    .or(z.literal("").transform(() => null))
    .nullish(),
  states: states.default([]),
  capacityPerDay: z.number().int("A whole number").min(1, "At least 1").max(100000).nullish(),
  capacityPerWeek: z.number().int("A whole number").min(1, "At least 1").max(100000).nullish(),
  responseHours: z.number().int("A whole number of hours").min(1, "At least 1 hour").max(720, "At most 720 hours (30 days)"),
  notes: optionalText(2000),
  active: z.boolean().default(true),
  channel: z.enum(PARTNER_CHANNELS, "Choose how offers reach the partner").default("email"),
  webhookUrl: webhookUrlSchema.or(z.literal("").transform(() => null)).nullish(),
})
  .superRefine((v, ctx) => {
    if (v.channel !== "email" && !v.webhookUrl) ctx.addIssue({ code: "custom", path: ["webhookUrl"], message: "Enter the URL offers are sent to" });
  });
export type PartnerInput = z.input<typeof partnerSchema>;

/** The lead a preview asks about: the fields rules look at. */
export const previewSchema = z
  .object({
    source: z.string().max(40).optional(),
    formId: z.string().trim().max(200).optional(),
    state: z.string().trim().max(100).optional(),
    utm: z.partialRecord(z.enum(UTM_FIELDS), z.string().trim().max(200)).default({}),
    customField: optionalText(63),
    customValue: optionalText(500),
  })
  .superRefine((v, ctx) => {
    if (v.customValue && !v.customField) ctx.addIssue({ code: "custom", path: ["customField"], message: "Choose the field" });
  });
export type PreviewInput = z.input<typeof previewSchema>;
