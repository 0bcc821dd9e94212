// Server face of gmail: what pages, route handlers and other modules' server code may use.
export { buildRawEmail, newMessageId, type OutgoingEmail } from "./compose";
export { consentUrl, exchangeCode, gmailClient, googleConfig, GoogleError, revokeToken } from "./google";
