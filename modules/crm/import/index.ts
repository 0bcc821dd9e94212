// Server face of crm/import: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { createCommitHandler, createUploadHandler, type HttpSession } from "./http";
export { fieldsFor, getImport, listImports, sampleRows } from "./service";
