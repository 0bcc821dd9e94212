// Edge face of crm/values: the normalisers code that Edge Functions (Deno)
// also run may use, web-standard files with explicit .ts imports.
export { normalizeEmail, normalizePhone, normalizeUsState } from "./contact.ts";
