import { z } from "zod";

// A web form as an admin defines it. The migration checks the same shape
// (private.valid_web_form_fields); these messages say which field is wrong.

export const LEAD_FIELDS = {
  first_name: "First name",
  last_name: "Last name",
  email: "Email",
  phone: "Phone",
  company_name: "Company",
  state: "State",
  message: "Message",
} as const;
export type LeadField = keyof typeof LEAD_FIELDS;

export const FIELD_TYPES = {
  text: "Text",
  email: "Email",
  tel: "Phone",
  textarea: "Long text",
  select: "Choice",
} as const;
export type FieldType = keyof typeof FIELD_TYPES;

const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/;

export const formFieldSchema = z
  .object({
    name: z.string().trim().regex(NAME, "Lower-case letters, digits and _, starting with a letter (at most 40)"),
    label: z.string().trim().min(1, "Give the field a label").max(200, "At most 200 characters"),
    type: z.enum(Object.keys(FIELD_TYPES) as [FieldType, ...FieldType[]], "Choose a type"),
    required: z.boolean(),
    maps_to: z
      .union([
        z.enum(Object.keys(LEAD_FIELDS) as [LeadField, ...LeadField[]]),
        z.string().regex(/^custom\.[a-z][a-z0-9_]{0,62}$/, "Not a custom field"),
      ])
      .nullable(),
    options: z.array(z.string().trim().min(1).max(200)).min(1, "Add at least one choice").max(100).optional(),
  })
  .refine((f) => f.type !== "select" || (f.options?.length ?? 0) > 0, { path: ["options"], message: "Add at least one choice" });
export type FormField = z.infer<typeof formFieldSchema>;

export const formInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the form a name").max(200, "At most 200 characters"),
    fields: z.array(formFieldSchema).min(1, "A form needs at least one field").max(50, "At most 50 fields"),
    allowed_origins: z
      .array(
        z
          .string()
          .trim()
          .transform((o) => o.replace(/\/+$/, "").toLowerCase())
          .pipe(z.string().regex(ORIGIN, "An origin is a scheme and host, like https://www.example.com")),
      )
      .max(20, "At most 20 origins"),
    thank_you_message: z.string().trim().min(1, "Say something after a submission").max(2000, "At most 2000 characters"),
    redirect_url: z
      .string()
      .trim()
      .max(2000, "At most 2000 characters")
      .regex(/^https?:\/\/[^\s/?#@]+([/?#]\S*)?$/i, "An http(s) address")
      .nullable(),
    honeypot_field: z.string().trim().regex(NAME, "Lower-case letters, digits and _, starting with a letter"),
    min_fill_seconds: z.coerce.number().int("Whole seconds").min(0, "At least 0").max(3600, "At most 3600"),
    ip_rate_limit_per_minute: z.coerce.number().int("A whole number").min(1, "At least 1").max(1000, "At most 1000"),
    rate_limit_per_minute: z.coerce.number().int("A whole number").min(1, "At least 1").max(100000, "At most 100000"),
    turnstile_enabled: z.boolean(),
    enabled: z.boolean(),
  })
  .superRefine((form, ctx) => {
    const seen = new Map<string, number>();
    form.fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: "custom", path: ["fields", i, "name"], message: `Field ${seen.get(f.name)! + 1} has this name` });
      else seen.set(f.name, i);
      if ((RESERVED.utm as readonly string[]).includes(f.name)) ctx.addIssue({ code: "custom", path: ["fields", i, "name"], message: "UTM fields are added by Covey itself" });
      if (f.name === form.honeypot_field) ctx.addIssue({ code: "custom", path: ["honeypot_field"], message: "A real field has this name" });
    });
    const mapped = new Map<string, number>();
    form.fields.forEach((f, i) => {
      if (!f.maps_to) return;
      if (mapped.has(f.maps_to)) ctx.addIssue({ code: "custom", path: ["fields", i, "maps_to"], message: `Field ${mapped.get(f.maps_to)! + 1} fills it already` });
      else mapped.set(f.maps_to, i);
    });
    if (!form.fields.some((f) => f.maps_to === "email" || f.maps_to === "phone")) {
      ctx.addIssue({ code: "custom", path: ["fields"], message: "Map a field to Email or Phone, so a lead can be reached" });
    }
  });
export type FormInput = z.infer<typeof formInputSchema>;

export const formIdSchema = z.object({ id: z.uuid() });

/** A new form's starting point: a contact form. */
export const DEFAULT_FORM: FormInput = {
  name: "Contact us",
  fields: [
    { name: "first_name", label: "First name", type: "text", required: true, maps_to: "first_name" },
    { name: "last_name", label: "Last name", type: "text", required: false, maps_to: "last_name" },
    { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
    { name: "phone", label: "Phone", type: "tel", required: false, maps_to: "phone" },
    { name: "message", label: "How can we help?", type: "textarea", required: false, maps_to: "message" },
  ],
  allowed_origins: [],
  thank_you_message: "Thank you. We will be in touch soon.",
  redirect_url: null,
  honeypot_field: "website_url",
  min_fill_seconds: 3,
  ip_rate_limit_per_minute: 5,
  rate_limit_per_minute: 60,
  turnstile_enabled: false,
  enabled: true,
};

/** Hidden inputs the snippet and the hosted page carry besides the form's own fields. */
export const RESERVED = {
  token: "_covey_t",
  turnstile: "cf-turnstile-response",
  utm: ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"],
} as const;
