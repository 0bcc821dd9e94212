// Browser-safe face of webhooks: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { DeleteEndpointButton, EnableButton, RefreshButton, ReplayAllButton, ReplayButton, SendTestEventButton } from "./components/endpoint-actions";
export { EndpointDialog } from "./components/endpoint-dialog";
export { RotateSecretButton, SigningSecret } from "./components/signing-secret";
export { ATTEMPT_FILTERS, type AttemptFilter, webhookUrlSchema } from "./schema";
