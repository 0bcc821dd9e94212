import { z } from "zod";
import { NOTIFICATION_TYPE_KEYS } from "./types";

export const NOTIFICATION_FILTERS = ["all", "unread"] as const;
export type NotificationFilter = (typeof NOTIFICATION_FILTERS)[number];

export const notificationFilterSchema = z.enum(NOTIFICATION_FILTERS).catch("all");

const notificationId = z.coerce.number().int().positive("Pick a notification");

export const markReadSchema = z.object({
  ids: z.array(notificationId).min(1, "Pick a notification").max(500, "Mark at most 500 at a time"),
});

export const preferenceSchema = z.object({
  type: z.enum(NOTIFICATION_TYPE_KEYS, { error: "Unknown notification type" }),
  inApp: z.boolean({ error: "Say on or off" }),
});
