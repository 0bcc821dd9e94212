// Transactional emails: one plain layout, text and HTML from the same words.
// A time in an email names its zone: the reader is away from the app.

import { formatDateTimeWithZone } from "@/lib/time";

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function layout(opts: { heading: string; lines: string[]; action: { label: string; url: string }; footer: string }) {
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f6f7f9;padding:24px">
<table role="presentation" width="100%" style="max-width:520px;margin:auto;background:#fff;border-radius:8px;padding:32px">
<tr><td><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(opts.heading)}</h1>
${opts.lines.map((l) => `<p style="font-size:15px;line-height:1.5;color:#333">${escapeHtml(l)}</p>`).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(opts.action.url)}" style="background:#3b3f9f;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(opts.action.label)}</a></p>
<p style="font-size:13px;color:#666">${escapeHtml(opts.footer)}</p></td></tr></table></body></html>`;
  const text = [opts.heading, "", ...opts.lines, "", `${opts.action.label}: ${opts.action.url}`, "", opts.footer].join("\n");
  return { html, text };
}

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
