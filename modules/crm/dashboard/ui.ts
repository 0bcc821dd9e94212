// Browser-safe face of crm/dashboard: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { TimeZoneSync } from "./components/time-zone-sync";
