import { z } from "zod";
import { zString } from "@/lib/validation";
import { ALWAYS, commonShape, zId, zText } from "@/modules/crm/records/ui";
import { normalizeUsState, zEmail, zPhone } from "@/modules/crm/values/ui";

/** A source or status key, as the org's settings name it. */
const zKey = (label: string) =>
  zString(label, { error: `Choose a ${label.toLowerCase()}` })
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, `Choose a ${label.toLowerCase()}`);

/** UTM or ad ids: only the known keys, each as trimmed text; blanks dropped. */
const zFacts = (keys: readonly string[], label: string) =>
  z
    .record(z.string(), z.union([zString(label), z.number(), z.null()]), { error: `${label} must be an object` })
    .optional()
    .superRefine((v, ctx) => {
      for (const k of Object.keys(v ?? {})) {
        if (!keys.includes(k)) ctx.addIssue({ code: "custom", path: [k], message: `Unknown ${label} field "${k}"` });
      }
    })
    .transform((v) =>
      v === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(v).flatMap(([k, s]) => {
              const t = s == null ? "" : String(s).trim();
              return t ? [[k, t.slice(0, 500)]] : [];
            }),
          ),
    );

/** A US state becomes its code; anything else stays as typed (leads often come from outside the US). */
const zState = () =>
  zText("State", 100).transform((s) => {
    if (!s) return s;
    const r = normalizeUsState(s);
    return r.ok ? r.value : s;
  });

/**
 * Every lead field a person sets. Each is optional: on update, a field that
 * is not sent stays as it is; null or blank clears it.
 */
export const leadShape = {
  first_name: zText("First name", 100),
  last_name: zText("Last name", 100),
  email: zEmail(),
  phone: zPhone(),
  company_name: zText("Company", 200),
  state: zState(),
  message: zText("Message", 10000),
  source: zKey("Source").optional(),
  status: zKey("Status").optional(),
  owner_id: zId("Choose a member of your organization"),
  utm: zFacts(["source", "medium", "campaign", "term", "content"], "UTM"),
  attribution: zFacts(["ad_id", "adgroup_id", "campaign_id", "form_id", "page_id"], "Attribution"),
  custom: commonShape.custom,
};

const leadObject = z.object(leadShape);

export const NAME_EMAIL_OR_PHONE = "Enter a name, an email address or a phone number";

/** A new lead: someone to reach, so a name, an email or a phone. */
export const leadCreateSchema = leadObject.superRefine((v, ctx) => {
  if (!v.first_name && !v.last_name && !v.email && !v.phone) {
    ctx.addIssue({ code: "custom", path: ["first_name"], message: NAME_EMAIL_OR_PHONE });
  }
}, ALWAYS);

export const leadUpdateSchema = leadObject;

/**
 * A lead another system sends with its own id for it: the same source and
 * id again is the same lead.
 */
export const leadUpsertSchema = leadObject
  .extend({
    external_id: zString("External id", { error: "Enter the external id as text" })
      .trim()
      .min(1, "Enter the external id, or leave it out")
      .max(200, "An external id is at most 200 characters")
      .nullish(),
  })
  .superRefine((v, ctx) => {
    if (!v.first_name && !v.last_name && !v.email && !v.phone) {
      ctx.addIssue({ code: "custom", path: ["first_name"], message: NAME_EMAIL_OR_PHONE });
    }
  }, ALWAYS);

export type LeadInput = z.input<typeof leadObject>;
export type LeadValues = z.output<typeof leadObject>;

/**
 * Convert: the person and company are found or made from the lead; a deal is
 * made when a pipeline is chosen (its first open stage unless one is named).
 */
export const convertLeadSchema = z.object({
  companyId: zId("Choose a company"),
  deal: z
    .object({
      pipelineId: z.uuid({ error: "Choose a pipeline" }),
      stageId: zId("Choose a stage"),
      name: zText("Deal name", 200),
      value: z.union([zString("Value"), z.number()]).nullish(),
      currency: zString("Currency").nullish(),
    })
    .nullish(),
});
export type ConvertLeadInput = z.input<typeof convertLeadSchema>;

export const leadStatusSchema = z.object({
  ids: z.array(z.uuid("Not a valid lead")).min(1, "Select at least one lead").max(1000, "Select at most 1,000 leads at a time"),
  status: zKey("Status"),
});
