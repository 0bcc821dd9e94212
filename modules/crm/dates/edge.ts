// Edge face of crm/dates: the reminder jobs, for the jobs Edge Function (Deno).
export { EMAIL_REMINDER_JOB, emailDateReminder, REMIND_JOB, remindDealDates } from "./reminders.ts";
