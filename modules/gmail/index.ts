// Server face of gmail: what pages, route handlers and other modules' server code may use.
export { buildRawEmail, newMessageId, type OutgoingEmail } from "./compose";
export { appGmailDeps, GMAIL_STATE_COOKIE, gmailCallbackUrl, gmailConfigured } from "./deps";
export { consentUrl, exchangeCode, gmailClient, googleConfig, GoogleError, revokeToken } from "./google";
export { listMailboxes, type MailboxState, myMailbox, recipientAddress } from "./queries";
export { connectUrl, disconnect, finishConnect, type GmailDeps, sendEmail, type SentEmail, tokenPurpose } from "./service";
