// Browser-safe face of api: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { CreateKeyDialog } from "./keys/components/create-key-dialog";
