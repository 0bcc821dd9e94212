// Edge face of the API module: what code that Edge Functions (Deno) also run
// may import, web-standard files with explicit .ts imports.
export { isObjectType, represent, representedFields } from "./core/representation.ts";


