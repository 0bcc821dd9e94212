// Browser-safe face of gmail: client components, server actions, schemas and labels.
export { disconnectGmailAction, sendEmailAction } from "./actions";
export { ComposeEmail, type ComposeProps, type ComposeTarget } from "./components/compose-email";
export { DisconnectGmailButton } from "./components/disconnect-button";
export { DevIncomingMailForm, type DevThread } from "./components/dev-incoming-form";
export { composeSchema, type ComposeInput } from "./schema";
