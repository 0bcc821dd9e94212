// The reminder jobs (web-standard, run by the jobs Edge Function under Deno):
//   deal_dates.remind          hourly: private.send_date_reminders notifies
//                              the owners whose reminder day it is in their
//                              zone, once per date and day, and queues
//                              their emails
//   deal_dates.email_reminder  emails one reminder: the notification's own
//                              words and link, to its member
import type { JobHandler } from "../../jobs/edge.ts";
import { PermanentJobError } from "../../jobs/edge.ts";
import { layout } from "../../../lib/mail/layout.ts";
import { sendMailFromEdge } from "../../../lib/mail/edge.ts";

export const REMIND_JOB = "deal_dates.remind";
export const EMAIL_REMINDER_JOB = "deal_dates.email_reminder";

/** `payload.at` (an ISO instant) sets the clock, for tests and a rerun of a missed day; otherwise now. */
export const remindDealDates: JobHandler = async (job, ctx) => {
  const at = (job.payload as { at?: unknown } | null)?.at;
  if (at !== undefined && (typeof at !== "string" || Number.isNaN(Date.parse(at)))) {
    throw new PermanentJobError(`at must be an ISO 8601 instant; got ${JSON.stringify(at).slice(0, 40)}`);
  }
  await ctx.sql.unsafe("select private.send_date_reminders(coalesce($1::timestamptz, now()))", [at ?? null]);
};

export function reminderEmail(p: { orgName: string; title: string; body: string | null; url: string }) {
  return {
    subject: p.title,
    tag: "date_reminder",
    ...layout({
      heading: p.title,
      lines: (p.body ?? "").split("\n").filter((l) => l.trim()),
      action: { label: "Open the record", url: p.url },
      footer: `You get this because a date on a record you own at ${p.orgName} is coming up. Turn off "Date reminder" in Settings → Notifications to stop these.`,
    }),
  };
}

export const emailDateReminder: JobHandler = async (job, ctx) => {
  const id = (job.payload as { notification_id?: unknown } | null)?.notification_id;
  if (typeof id !== "number" && typeof id !== "string") throw new PermanentJobError("notification_id is missing");
  const rows = await ctx.sql.unsafe(
    `select n.title, n.body, n.link, p.email::text as email, o.name as org_name
       from public.notifications n
       join public.profiles p on p.user_id = n.user_id and p.org_id = n.org_id
       join public.orgs o on o.id = n.org_id
      where n.id = $1 and n.org_id = $2 and n.type = 'date_reminder'`,
    [String(id), job.orgId],
  );
  // Gone with its member (or read and pruned): nobody to email.
  if (!rows.length) return;
  const n = rows[0];
  const appUrl = (ctx.env("APP_URL") || "http://localhost:3000").replace(/\/+$/, "");
  await sendMailFromEdge(ctx, {
    to: n.email,
    orgId: job.orgId,
    ...reminderEmail({ orgName: n.org_name, title: n.title, body: n.body, url: `${appUrl}${n.link}` }),
  });
};
