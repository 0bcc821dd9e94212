// Server face of auth: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { AuthCard } from "./components/auth-card";
export { emailHasAccount, INVITE_STATUS_MESSAGES, previewInvite, signupMode } from "./queries";
