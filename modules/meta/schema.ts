// Input of the Meta settings forms, checked the same in the browser and on the server.
import { z } from "zod";
import { isMappingTarget, type MappingTarget } from "./mapping";

const graphId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[0-9]{1,30}$/, `The ${what} is the number Meta shows for it (digits only)`);

const accessToken = (what: string) =>
  z
    .string()
    .trim()
    .min(20, `Paste the ${what} (it is longer than that)`)
    .max(1000, "That is longer than any Meta access token")
    .regex(/^[A-Za-z0-9_|.-]+$/, "A Meta access token has no spaces or punctuation other than _ | . -");

export const connectPageSchema = z.object({
  pageId: graphId("page ID"),
  token: accessToken("page access token"),
});
export type ConnectPageInput = z.input<typeof connectPageSchema>;

export const connectAdAccountSchema = z.object({
  accountId: z
    .string()
    .trim()
    .regex(/^(act_)?[0-9]{1,30}$/, "The ad account ID is the number Meta's Ads Manager shows, with or without act_")
    .transform((v) => (v.startsWith("act_") ? v : `act_${v}`)),
  token: accessToken("access token"),
});
export type ConnectAdAccountInput = z.input<typeof connectAdAccountSchema>;

export const adAccountRefSchema = z.object({ id: z.uuid("Unknown ad account") });
export const adAccountToggleSchema = z.object({ id: z.uuid("Unknown ad account"), enabled: z.boolean() });

export const pageRefSchema = z.object({ id: z.uuid("Unknown page") });
export const formToggleSchema = z.object({ id: z.uuid("Unknown form"), createsLeads: z.boolean() });

export const datasetSchema = z.object({
  id: z.uuid("Unknown page"),
  datasetId: z
    .string()
    .trim()
    .regex(/^([0-9]{1,30})?$/, "The dataset ID is the number Meta's Events Manager shows (digits only)")
    .transform((v) => v || null),
});

export const formMappingSchema = z.object({
  id: z.uuid("Unknown form"),
  mapping: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, "Unknown question"), z.string())
    .superRefine((m, ctx) => {
      for (const [key, target] of Object.entries(m)) {
        if (!isMappingTarget(target)) ctx.addIssue({ code: "custom", path: [key], message: `"${target}" is not a lead field or custom field` });
      }
    })
    .transform((m) => m as Record<string, MappingTarget>),
});

/** What /dev/meta types into the demo lead form, as a Facebook user would. */
export const devLeadSchema = z.object({
  formId: z.string().regex(/^[0-9]{1,30}$/, "Choose a form"),
  full_name: z.string().trim().min(1, "Enter a name").max(200, "At most 200 characters"),
  email: z.email("Enter an email address like name@example.com"),
  phone_number: z.string().trim().max(40, "At most 40 characters").optional(),
  state: z.string().trim().max(100, "At most 100 characters").optional(),
  zip_code: z.string().trim().max(20, "At most 20 characters").optional(),
  how_did_you_hear: z.string().trim().max(500, "At most 500 characters").optional(),
});

/**
 * Which lead statuses (and Convert, `status: null`), or stages of the
 * pipelines their deals are on (`stageId`), report which Meta CRM event.
 * Meta's event id is `<lead id>:<event name>`, at most 100 characters.
 */
export const conversionStagesSchema = z
  .object({
    stages: z
      .array(
        z.object({
          status: z
            .string()
            .regex(/^[a-z][a-z0-9_]{0,39}$/, "Choose a status, Converted or a deal stage")
            .nullable(),
          stageId: z.uuid("Choose a status, Converted or a deal stage").nullable().default(null),
          eventName: z
            .string()
            .trim()
            .min(1, "Enter the event name Meta should get")
            .max(50, "At most 50 characters"),
        }),
      )
      .max(50, "At most 50 stages"),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.stages.forEach((s, i) => {
      if (s.status && s.stageId) ctx.addIssue({ code: "custom", path: ["stages", i, "status"], message: "Choose a status or a deal stage, not both" });
      const key = `${s.status ?? ""}|${s.stageId ?? ""}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["stages", i, "status"], message: "This stage sends an event already" });
      seen.add(key);
    });
  });
export type ConversionStagesInput = z.input<typeof conversionStagesSchema>;
