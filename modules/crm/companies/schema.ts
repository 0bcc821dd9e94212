import { z } from "zod";
import { zString } from "@/lib/validation";
import { ALWAYS, commonShape, stateIssue, stateTransform, zText } from "@/modules/crm/records/ui";
import { zDomain, zEmail, zPhone } from "@/modules/crm/values/ui";

const employeeCount = z
  .union([zString("Employees"), z.number(), z.null()], { error: "Enter a whole number" })
  .optional()
  .transform((v, ctx): number | null | undefined => {
    if (v == null) return v;
    const s = String(v).replace(/[\s,]/g, "");
    if (s === "") return null;
    if (!/^\d{1,9}$/.test(s)) {
      ctx.issues.push({ code: "custom", message: "Enter a whole number of employees, e.g. 250", input: v });
      return z.NEVER;
    }
    return Number(s);
  });

/**
 * Every company field. Each is optional: on update, a field that is not sent
 * stays as it is; null or blank clears it.
 */
export const companyShape = {
  name: zText("Name", 200),
  domain: zDomain(),
  email: zEmail(),
  phone: zPhone(),
  industry: zText("Industry", 100),
  employee_count: employeeCount,
  description: zText("Description", 10000),
  ...commonShape,
};

const companyObject = z.object(companyShape);

/** A new company: a name is required. */
export const companyCreateSchema = companyObject
  .superRefine((v, ctx) => {
    if (!v.name) ctx.addIssue({ code: "custom", path: ["name"], message: "Enter the company's name" });
    stateIssue(v, ctx);
  }, ALWAYS)
  .transform(stateTransform);

/** A change to a company; `name` may be changed but not cleared. */
export const companyUpdateSchema = companyObject.superRefine((v, ctx) => {
  if (v.name === null) ctx.addIssue({ code: "custom", path: ["name"], message: "Enter the company's name" });
});

export type CompanyInput = z.input<typeof companyObject>;
export type CompanyValues = z.output<typeof companyObject>;
