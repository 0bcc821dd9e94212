// The demo org's Twilio account and number on the embedded runtime: the
// Twilio stand-in (supabase/local/twilio.ts) accepts these credentials,
// start-up connects them to the demo org, and /dev/phone texts the number.
// Plain constants, so the app, the stand-in and tests share them; a real
// deployment never sees them.
export const DEMO_TWILIO = {
  accountSid: "AC0c0e7de0000000000000000000000001",
  authToken: "c0e7de00000000000000000000000001",
  friendlyName: "Covey Demo (Twilio stand-in)",
  apiKeySid: "SK0c0e7de0000000000000000000000001",
  apiKeySecret: "c0e7de00000000000000000000000002",
  number: "+15125550100",
  numberLabel: "Main line",
} as const;
