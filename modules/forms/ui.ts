// Browser-safe face of forms: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { DEFAULT_FORM, FIELD_TYPES, type FormField, type FormInput, formInputSchema, LEAD_FIELDS } from "./schema";
