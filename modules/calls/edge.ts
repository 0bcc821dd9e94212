// Web-standard face of calls, for code Edge Functions and jobs run (Deno):
// the twilio-voice webhook and the call.receive job.
export { handleTwilioVoiceWebhook, type InboundCall, RECEIVE_CALL_JOB, VOICE_FUNCTION, type VoiceWebhookDeps } from "./voice.ts";
export { receiveCall } from "./receive.ts";
