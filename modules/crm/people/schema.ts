import { z } from "zod";
import { refuseNul } from "@/lib/validation";
import { ALWAYS, commonShape, stateIssue, stateTransform, zId, zText } from "@/modules/crm/records/ui";
import { normalizeEmail, normalizePhone, type Normalized, zEmail, zPhone } from "@/modules/crm/values/ui";

/** A list of values typed one per line or separated by commas (or sent as an array), each normalised. */
function zList(normalize: (s: string) => Normalized<string | null>, what: string, max: number) {
  return z
    .union([z.string(), z.array(z.string()), z.null()], { error: `Enter ${what} separated by commas` })
    .optional()
    .transform((v, ctx): string[] | undefined => {
      if (v === undefined) return undefined;
      if (refuseNul(v, ctx)) return z.NEVER;
      const items = (v === null ? [] : Array.isArray(v) ? v : v.split(/[,;\n]/)).map((s) => s.trim()).filter(Boolean);
      const out: string[] = [];
      for (const item of items) {
        const r = normalize(item);
        if (!r.ok) {
          ctx.issues.push({ code: "custom", message: `“${item.slice(0, 40)}”: ${r.message}`, input: v });
          return z.NEVER;
        }
        if (r.value && !out.includes(r.value)) out.push(r.value);
      }
      if (out.length > max) {
        ctx.issues.push({ code: "custom", message: `At most ${max} ${what}`, input: v });
        return z.NEVER;
      }
      return out;
    });
}

/**
 * Every person field. Each is optional: on update, a field that is not sent
 * stays as it is; null or blank clears it.
 */
export const personShape = {
  first_name: zText("First name", 100),
  last_name: zText("Last name", 100),
  email: zEmail(),
  additional_emails: zList(normalizeEmail, "email addresses", 20),
  phone: zPhone(),
  additional_phones: zList((s) => normalizePhone(s), "phone numbers", 20),
  title: zText("Title", 150),
  company_id: zId("Choose a company"),
  source: zText("Source", 100),
  ...commonShape,
};

const personObject = z.object(personShape);

const NAME_OR_EMAIL = "Enter a name or an email address";

/** A new person: a name or an email is required. */
export const personCreateSchema = personObject
  .superRefine((v, ctx) => {
    if (!v.first_name && !v.last_name && !v.email) {
      ctx.addIssue({ code: "custom", path: ["first_name"], message: NAME_OR_EMAIL });
    }
    stateIssue(v, ctx);
  }, ALWAYS)
  .transform(stateTransform);

/** A change to a person (the database checks that a name or email remains). */
export const personUpdateSchema = personObject;

export type PersonInput = z.input<typeof personObject>;
export type PersonValues = z.output<typeof personObject>;

export { NAME_OR_EMAIL };
