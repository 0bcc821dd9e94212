// The Twilio services' dependencies as the app runs them: its database, its
// key-encryption keys and the SDK-backed adapter configured from the
// environment (TWILIO_API_URL points it at the stand-in under npm start).
import { appKeyring } from "@/lib/crypto/keyring";
import { database } from "@/lib/db";
import { twilioClient, twilioConfig } from "./client";
import type { TwilioDeps } from "./service";

export function appTwilioDeps(): TwilioDeps {
  const config = twilioConfig((name) => process.env[name]);
  return { db: database(), keyring: appKeyring, config, client: (creds) => twilioClient(creds, config) };
}
