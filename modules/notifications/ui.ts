// Browser-safe face of notifications: components, server actions, schemas and
// the type registry, for any code outside the module, client components included.
export { NotificationBell, type NotificationSummary } from "./components/notification-bell";
export { MarkAllReadButton, NotificationList } from "./components/notification-list";
export { NotificationPreferences } from "./components/notification-preferences";
export { notificationFilterSchema } from "./schema";
export { NOTIFICATION_TYPES, notificationTypeLabel, type NotificationType } from "./types";
