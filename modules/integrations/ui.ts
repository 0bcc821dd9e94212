// Browser-safe face of integrations: components, server actions, schemas and
// the registry, for any code outside the module, client components included.
export { AlertList } from "./components/alert-list";
export { alertViewSchema } from "./schema";
export { INTEGRATIONS, integrationLabel, SEVERITY_LABELS } from "./registry";
