// Browser-safe face of crm/handoffs.
export { denyHandoffSchema, handoffDealSchema, submitHandoffSchema } from "./schema";
