"use server";

import { isAuthApiError, isAuthError } from "@supabase/supabase-js";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import { env } from "@/lib/env";
import { conflict, DomainError, forbidden, invalidFields } from "@/lib/errors";
import { hitRateLimits } from "@/lib/rate-limit";
import { createClient } from "@/lib/supabase/server";
import { GOOGLE_CALLBACK_PATH, GOOGLE_INTENT_COOKIE, type GoogleIntent } from "./google-intent";
import { emailHasAccount, INVITE_STATUS_MESSAGES, previewInvite, signupMode } from "./queries";
import {
  acceptInviteSchema,
  forgotPasswordSchema,
  googleInviteSchema,
  googleSignInSchema,
  googleSignUpSchema,
  magicLinkSchema,
  resetPasswordSchema,
  safeNext,
  signInSchema,
  signUpSchema,
  TEMPLATE_REFUSAL,
} from "./schema";

async function clientIp() {
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || "unknown";
}

function minutes(seconds: number) {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? "1 minute" : `${m} minutes`;
}

/** Per IP and per address, so neither spraying nor guessing one account works. */
async function limitAuthAttempt(kind: string, email: string) {
  return hitRateLimits([
    { bucket: `${kind}:ip:${await clientIp()}`, max: 30, windowSeconds: 300 },
    { bucket: `${kind}:email:${email}`, max: 8, windowSeconds: 300 },
  ]);
}

/** Auth errors a person can cause, as DomainErrors; anything else is returned as it is (ours: actionFailure logs it). */
function authRefusal(error: unknown): unknown {
  // Not only AuthApiError: weak_password arrives as AuthWeakPasswordError.
  if (!isAuthError(error)) return error;
  switch (error.code) {
    case "invalid_credentials":
      return new DomainError("unauthorized", "Wrong email or password.", { details: { password: ["Wrong email or password"] } });
    case "user_already_exists":
    case "email_exists":
      return conflict("An account with this email already exists.", { details: { email: ["An account with this email already exists"] } });
    case "weak_password":
      return invalidFields({ password: error.message }, "Choose a stronger password.");
    case "email_not_confirmed":
      return forbidden("Confirm your email address first: check your inbox for the link.");
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return new DomainError("rate_limited", "Too many attempts. Wait a few minutes and try again.");
    case "template_invalid":
      return invalidFields({ template: TEMPLATE_REFUSAL }, TEMPLATE_REFUSAL);
    case "signup_disabled":
      return forbidden("Sign-up is by invitation only. Ask an administrator of your organization to invite you.");
    case "invite_expired":
    case "invite_used":
    case "invite_invalid":
    case "invite_email_mismatch":
    case "domain_not_allowed":
      return forbidden(error.message);
  }
  return error;
}

const authFailure = (error: unknown, fallback: string) => actionFailure(authRefusal(error), fallback);

export async function signIn(input: unknown): Promise<ActionResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { email, password, next } = parsed.data;
  const wait = await limitAuthAttempt("signin", email);
  if (wait > 0) return fail(`Too many sign-in attempts. Try again in ${minutes(wait)}.`);
  const supabase = await createClient();
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) return authFailure(error, "Signing in failed. Please try again.");
  redirect(safeNext(next));
}

export async function signUp(input: unknown): Promise<ActionResult<{ confirmEmail: boolean }>> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { email, password, fullName, orgName, template } = parsed.data;
  if ((await signupMode()) === "invite_only") {
    return fail("Sign-up is by invitation only. Ask an administrator of your organization to invite you.");
  }
  const wait = await limitAuthAttempt("signup", email);
  if (wait > 0) return fail(`Too many attempts. Try again in ${minutes(wait)}.`);
  if (await emailHasAccount(email)) {
    return fail("An account with this email already exists.", { email: "An account with this email already exists" });
  }
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signUp({
    email,
    password,
    options: {
      data: { full_name: fullName, org_name: orgName, org_template: template },
      emailRedirectTo: new URL("/auth/confirm", env().APP_URL).toString(),
    },
  });
  if (error) return authFailure(error, "Creating your account failed. Please try again.");
  if (!data.session) return ok({ confirmEmail: true });
  redirect("/");
}

export async function acceptInvite(input: unknown): Promise<ActionResult> {
  const parsed = acceptInviteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { token, fullName, password } = parsed.data;
  const invite = await previewInvite(token);
  if (!invite) return fail("This invitation link is not valid.");
  if (invite.status !== "pending") return fail(INVITE_STATUS_MESSAGES[invite.status]);
  if (!invite.domainAllowed) {
    return fail(`Addresses at ${invite.email.split("@")[1]} are not allowed in ${invite.orgName}.`);
  }
  if (await emailHasAccount(invite.email)) {
    return fail("An account with this email already exists, and an account belongs to one organization. Sign in instead.");
  }
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signUp({
    email: invite.email,
    password,
    options: { data: { full_name: fullName, invite_token: token } },
  });
  if (error) return authFailure(error, "Accepting the invitation failed. Please try again.");
  if (!data.session) {
    const { error: signInError } = await supabase.auth.signInWithPassword({ email: invite.email, password });
    if (signInError) return authFailure(signInError, "Your account was created, but signing in failed.");
  }
  redirect("/");
}

export async function sendMagicLink(input: unknown): Promise<ActionResult> {
  const parsed = magicLinkSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { email, next } = parsed.data;
  const wait = await limitAuthAttempt("otp", email);
  if (wait > 0) return fail(`Too many attempts. Try again in ${minutes(wait)}.`);
  const supabase = await createClient();
  const redirectTo = new URL("/auth/confirm", env().APP_URL);
  redirectTo.searchParams.set("next", safeNext(next));
  const { error } = await supabase.auth.signInWithOtp({
    email,
    options: { shouldCreateUser: false, emailRedirectTo: redirectTo.toString() },
  });
  // Unknown addresses get the same answer: no account enumeration.
  if (error && !(isAuthApiError(error) && ["otp_disabled", "user_not_found"].includes(error.code ?? ""))) {
    return authFailure(error, "Sending the sign-in link failed. Please try again.");
  }
  return ok();
}

export async function requestPasswordReset(input: unknown): Promise<ActionResult> {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { email } = parsed.data;
  const wait = await limitAuthAttempt("recover", email);
  if (wait > 0) return fail(`Too many attempts. Try again in ${minutes(wait)}.`);
  const supabase = await createClient();
  const { error } = await supabase.auth.resetPasswordForEmail(email, {
    redirectTo: new URL("/reset-password", env().APP_URL).toString(),
  });
  if (error && !(isAuthApiError(error) && error.code === "user_not_found")) {
    return authFailure(error, "Sending the reset link failed. Please try again.");
  }
  return ok();
}

export async function resetPassword(input: unknown): Promise<ActionResult> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const supabase = await createClient();
  const { data } = await supabase.auth.getClaims();
  if (!data?.claims) return fail("Your reset link has expired. Ask for a new one.");
  const { error } = await supabase.auth.updateUser({ password: parsed.data.password });
  if (error) return authFailure(error, "Changing your password failed. Please try again.");
  redirect("/");
}

/**
 * Sends the browser to Google through Supabase Auth (PKCE: the verifier is
 * kept in a cookie by the auth client), remembering what the person meant
 * for the callback route.
 */
async function continueWithGoogle(intent: GoogleIntent): Promise<ActionResult> {
  const wait = await hitRateLimits([{ bucket: `google:ip:${await clientIp()}`, max: 30, windowSeconds: 300 }]);
  if (wait > 0) return fail(`Too many attempts. Try again in ${minutes(wait)}.`);
  const supabase = await createClient();
  const { data, error } = await supabase.auth.signInWithOAuth({
    provider: "google",
    options: { redirectTo: new URL(GOOGLE_CALLBACK_PATH, env().APP_URL).toString(), skipBrowserRedirect: true },
  });
  if (error || !data.url) return authFailure(error, "Google sign-in is not available right now. Please try again.");
  (await cookies()).set(GOOGLE_INTENT_COOKIE, JSON.stringify(intent), {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https:"),
    path: GOOGLE_CALLBACK_PATH,
    maxAge: 600,
  });
  redirect(data.url);
}

export async function signInWithGoogle(input: unknown): Promise<ActionResult> {
  const parsed = googleSignInSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  return continueWithGoogle({ next: safeNext(parsed.data.next) });
}

export async function signUpWithGoogle(input: unknown): Promise<ActionResult> {
  const parsed = googleSignUpSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  if ((await signupMode()) === "invite_only") {
    return fail("Sign-up is by invitation only. Ask an administrator of your organization to invite you.");
  }
  return continueWithGoogle({ orgName: parsed.data.orgName, template: parsed.data.template });
}

export async function acceptInviteWithGoogle(input: unknown): Promise<ActionResult> {
  const parsed = googleInviteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const invite = await previewInvite(parsed.data.token);
  if (!invite) return fail("This invitation link is not valid.");
  if (invite.status !== "pending") return fail(INVITE_STATUS_MESSAGES[invite.status]);
  return continueWithGoogle({ inviteToken: parsed.data.token });
}

export async function signOut(): Promise<void> {
  const supabase = await createClient();
  await supabase.auth.signOut();
  redirect("/sign-in");
}
