// Web-standard face of gmail, for code Edge Functions and jobs run (Deno): the Google adapter.
export {
  consentUrl,
  exchangeCode,
  GMAIL_SCOPES,
  type GmailClient,
  gmailClient,
  type GoogleConfig,
  googleConfig,
  GoogleError,
  GoogleNotConfiguredError,
  revokeToken,
} from "./google.ts";
export { handleGmailPush } from "./push.ts";
export { IMPORT_DAYS, IMPORT_MAX, PAGE_SIZE, parseMessage, POLL_JOB, pollGmailMailboxes, SYNC_JOB, syncGmailMailbox } from "./sync.ts";
