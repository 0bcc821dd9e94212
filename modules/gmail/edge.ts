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
