import { z } from "zod";
import { ALERT_VIEWS } from "./registry";

export const alertViewSchema = z.enum(ALERT_VIEWS).catch("active");

const alertId = z.coerce.number({ error: "Pick an alert" }).int().positive("Pick an alert");

export const alertActionSchema = z.object({ id: alertId });

export const snoozeSchema = z.object({
  id: alertId,
  hours: z.coerce
    .number({ error: "Enter a number of hours" })
    .int("Enter whole hours")
    .min(1, "Snooze for at least 1 hour")
    .max(720, "Snooze for at most 720 hours (30 days)"),
});
