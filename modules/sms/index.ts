// Server face of sms: what pages, route handlers and other modules' server
// code may use. Client components take only types here.
export { type Conversation, getMessage, listConversations, listThread, markThreadRead, type SmsMessageRow, type SmsRecordContact, smsContactOf, unreadConversations } from "./queries";
export { type QueuedSms, queueSms } from "./service";
