// Server face of notifications: what server code outside the module (pages,
// route handlers, other modules) may use. Client components take only types here.
export { NotificationsNav } from "./components/notifications-nav";
export {
  type NotificationItem,
  listNotifications,
  notificationPreferences,
  notificationSummary,
  unreadCount,
} from "./queries";
