// Gmail's dependencies as the app runs them: its database, its
// key-encryption keys and Google configured from the environment, each
// resolved when first needed, so pages that only show state work on a
// deployment without Google configured.
import { appKeyring } from "@/lib/crypto/keyring";
import { database } from "@/lib/db";
import { googleConfig } from "./google";
import type { GmailDeps } from "./service";

export function appGmailDeps(): GmailDeps {
  return { db: database(), keyring: appKeyring, google: () => googleConfig((name) => process.env[name]) };
}

export const gmailConfigured = () => !!process.env.GOOGLE_CLIENT_ID && !!process.env.GOOGLE_CLIENT_SECRET;

/** Where Google sends the member back: registered as the OAuth client's redirect URI. */
export const gmailCallbackUrl = () => new URL("/api/gmail/callback", process.env.APP_URL ?? "http://localhost:3000").toString();
export const GMAIL_STATE_COOKIE = "covey_gmail_state";
