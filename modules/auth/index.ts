// Server face of auth: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { AuthCard, Divider } from "./components/auth-card";
export { GOOGLE_CALLBACK_PATH, GOOGLE_INTENT_COOKIE, parseGoogleIntent } from "./google-intent";
export { emailHasAccount, finishOAuthSignIn, INVITE_STATUS_MESSAGES, previewInvite, signupMode } from "./queries";
