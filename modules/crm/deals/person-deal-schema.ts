// "New case": a deal about one person, created with that person. The
// person's fields are the person form's own names and checks (state, phone
// and email normalised as on any person); the deal's are the deal form's.
import { z } from "zod";
import { zString } from "@/lib/validation";
import { zText } from "@/modules/crm/records/ui";
import { zEmail, zPhone } from "@/modules/crm/values/ui";

export const NAME_OR_EMAIL = "Enter a name or an email address";

export const personDealSchema = z
  .object({
    pipelineId: z.uuid({ error: "Choose a pipeline" }),
    stageId: z.uuid({ error: "Choose a stage" }),
    first_name: zText("First name", 100),
    last_name: zText("Last name", 100),
    email: zEmail(),
    phone: zPhone(),
    state: zText("State", 100),
    /** The deal's name; blank: the person's name. */
    name: zString("Name").trim().max(200, "At most 200 characters").nullish(),
    value: z.union([zString("Value"), z.number()]).nullish(),
    ownerId: z
      .union([z.literal(""), z.uuid({ error: "Choose a member" })])
      .nullish()
      .transform((v) => v || null),
    priority: z.boolean({ error: "Send true or false" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.first_name && !v.last_name && !v.email) ctx.addIssue({ code: "custom", path: ["first_name"], message: NAME_OR_EMAIL });
  });

export type PersonDealFormInput = z.input<typeof personDealSchema>;
export type PersonDealInput = z.output<typeof personDealSchema>;
