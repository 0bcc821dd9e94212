// Browser-safe face of sms: the compose drawer, the conversation and inbox
// components, their server actions and the input schema.
export { SmsDrawer } from "./components/sms-drawer";
export { SmsThread } from "./components/sms-thread";
export { SmsComposer } from "./components/sms-composer";
export { ConversationView } from "./components/conversation-view";
export { DevPhone } from "./components/dev-phone";
export { SMS_STATUS_LABELS, smsStatusText } from "./components/status";
export { SMS_MAX_LENGTH, sendSmsSchema } from "./schema";
