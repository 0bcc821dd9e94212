// Transactional emails: one plain layout, text and HTML from the same words.
// A time in an email names its zone: the reader is away from the app.

import { formatDateTimeWithZone } from "@/lib/time";
import { layout } from "./layout";

/** `timeZone`: the zone the expiry is shown in, named beside it. */
export function inviteEmail(p: { orgName: string; inviterName: string; role: string; url: string; expiresAt: Date; timeZone: string }) {
  return {
    subject: `${p.inviterName} invited you to ${p.orgName} on Covey`,
    tag: "invite",
    ...layout({
      heading: `Join ${p.orgName} on Covey`,
      lines: [`${p.inviterName} invited you to join ${p.orgName} as ${p.role}.`],
      action: { label: "Accept invitation", url: p.url },
      footer: `This invitation can be used once and expires on ${formatDateTimeWithZone(p.expiresAt, p.timeZone)}. If you did not expect it, ignore this email.`,
    }),
  };
}

export function magicLinkEmail(p: { url: string }) {
  return {
    subject: "Your Covey sign-in link",
    tag: "magiclink",
    ...layout({
      heading: "Sign in to Covey",
      lines: ["Use the button below to sign in. The link works once."],
      action: { label: "Sign in", url: p.url },
      footer: "If you did not ask to sign in, you can ignore this email.",
    }),
  };
}

export function recoveryEmail(p: { url: string }) {
  return {
    subject: "Reset your Covey password",
    tag: "recovery",
    ...layout({
      heading: "Reset your password",
      lines: ["Someone asked to reset the password of your Covey account. The link works once."],
      action: { label: "Choose a new password", url: p.url },
      footer: "If it was not you, ignore this email: your password stays as it is.",
    }),
  };
}

export function confirmSignupEmail(p: { url: string }) {
  return {
    subject: "Confirm your Covey account",
    tag: "signup",
    ...layout({
      heading: "Confirm your email",
      lines: ["Confirm your email address to finish creating your Covey account."],
      action: { label: "Confirm email", url: p.url },
      footer: "If you did not sign up, you can ignore this email.",
    }),
  };
}
