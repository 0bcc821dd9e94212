// Browser-safe face of leads: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { convertLeadSchema, leadCreateSchema, leadUpdateSchema } from "./schema";
