import { z } from "zod";

/**
 * What the person meant when they left for Google: found an org, accept an
 * invitation, or sign in (neither). Kept in a short-lived cookie for the
 * callback, because Supabase Auth creates the account before the app hears
 * back and passes nothing of ours through Google.
 */
export const GOOGLE_INTENT_COOKIE = "covey-google-intent";
export const GOOGLE_CALLBACK_PATH = "/auth/callback";

export const googleIntent = z.object({
  next: z.string().optional(),
  orgName: z.string().max(120).optional(),
  template: z.string().max(40).optional(),
  inviteToken: z.string().max(200).optional(),
});
export type GoogleIntent = z.infer<typeof googleIntent>;

export function parseGoogleIntent(raw: string | undefined): GoogleIntent {
  if (!raw) return {};
  try {
    return googleIntent.parse(JSON.parse(raw));
  } catch {
    return {};
  }
}

/** How finish_oauth_sign_in's refusals read on the sign-in page (`?error=`), with Google's own. */
export const GOOGLE_SIGN_IN_ERRORS: Record<string, string> = {
  access_denied: "Signing in with Google was cancelled. Choose an account and allow access to continue.",
  provider_email_needs_verification:
    "Google has not verified this account's email address, so Covey cannot sign you in with it. Verify it with Google, or sign in with your password.",
  email_unverified:
    "Google has not verified this account's email address, so Covey cannot sign you in with it. Verify it with Google, or sign in with your password.",
  no_account:
    "There is no Covey account for this Google account. Create an organization, or ask an administrator of yours to invite this address.",
  domain_not_allowed:
    "Your Google account's email domain is not allowed in this organization. Ask its administrator to invite an address at an allowed domain.",
  signup_disabled: "Sign-up is by invitation only. Ask an administrator of your organization to invite you.",
  invite_invalid: "This invitation is not valid. Ask your administrator for a new one.",
  invite_used: "This invitation has already been used. Sign in instead.",
  invite_expired: "This invitation has expired. Ask your administrator to send a new one.",
  invite_email_mismatch:
    "This invitation was sent to another address. Choose the Google account with the invited address, or ask for an invitation to this one.",
  template_invalid: "Choose a template for your organization (Sales CRM, Surrogacy agency or Lead generation) and try again.",
  google_failed: "Signing in with Google failed. Please try again.",
};
