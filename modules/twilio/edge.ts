// Web-standard face of twilio, for code Edge Functions and jobs run (Deno):
// the SDK-backed adapter, signatures and the segment counter.
export {
  type CallInput,
  FetchRequestClient,
  type PlacedCall,
  type SendInput,
  type SentMessage,
  type TwilioClient,
  twilioClient,
  type TwilioConfig,
  twilioConfig,
  type TwilioCredentials,
  TwilioError,
  twilioErrorOf,
} from "./client.ts";
export { paramsOf, publicUrlCandidates, SIGNATURE_HEADER, signTwilioRequest, validTwilioSignature } from "./signature.ts";
export { countSegments, type SegmentCount } from "./segments.ts";
export { twilioRefusal, type TwilioWebhookOptions, type TwilioWebhookOrigin, verifyTwilioWebhook } from "./webhook-check.ts";
