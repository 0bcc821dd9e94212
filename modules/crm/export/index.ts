// Server face of crm/export: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { createExportHandler } from "./http";
