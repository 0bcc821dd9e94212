// Web-standard face of sms, for code Edge Functions and jobs run (Deno): the
// twilio-sms webhook and the receive and send jobs.
export { handleTwilioSmsWebhook, type InboundSms, inboundOf, RECEIVE_SMS_JOB, SMS_FUNCTION, type SmsWebhookDeps } from "./webhook.ts";
export { receiveSms } from "./receive.ts";
export { SEND_SMS_JOB, sendSms } from "./send.ts";
