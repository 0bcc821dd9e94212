// Server face of api: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { KeysTable } from "./keys/components/keys-table";
export { listApiKeys } from "./keys/queries";
export { ReferenceShell } from "./reference/components/reference-shell";
export { Code, ErrorsTable, GroupIndex, ObjectSection, OperationSection, Prose } from "./reference/components/reference";
export { REFERENCE_PATH } from "./reference/document";
export { loadReference } from "./reference/load";
export { routeApiRequest } from "./router";
