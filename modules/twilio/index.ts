// Server face of twilio: what pages, route handlers and other modules' server
// code may use. Client components take only types here.
export { getTwilioAccount, listPhones, type PhoneRow, type PhoneVoice, type TwilioAccountRow } from "./queries";
export { API_KEY_SECRET_PURPOSE, AUTH_TOKEN_PURPOSE, openCredentials, type TwilioConnectionTest, type TwilioDeps } from "./service";
export { appTwilioDeps } from "./deps";
export { DEMO_TWILIO } from "./demo";
export { type CallInput, type PlacedCall, type SendInput, type SentMessage, type TwilioClient, twilioClient, type TwilioConfig, twilioConfig, type TwilioCredentials, TwilioError } from "./client";
export { fetchRecordingMedia, type RecordingFormat, recordingMediaUrl } from "./recording";
