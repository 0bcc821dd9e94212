// Browser-safe face of twilio: Settings → Numbers' client components, the
// server actions they call, the input schemas and the segment counter.
export { ConnectTwilioDialog, DisconnectTwilioButton, TestTwilioButton } from "./components/account-actions";
export { PhoneDialog, type PhoneFormValues, RemovePhoneButton } from "./components/phone-actions";
export { VoiceSettingsDialog } from "./components/voice-settings";
export { connectTwilioSchema, e164Schema, phoneSchema, phoneVoiceSchema, WEEKDAYS } from "./schema";
export { countSegments, type SegmentCount } from "./segments";
