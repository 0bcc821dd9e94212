// A call's recording, fetched from Twilio for a member's browser. Twilio
// keeps recordings behind the account's Basic auth (HTTP authentication on
// media URLs), so the browser cannot play the RecordingUrl itself: the app
// fetches `<RecordingUrl>.mp3` or `.wav` with the org's credentials and hands
// the audio on, Range requests included (an audio element seeks with them).
// Credentials go only to Twilio's own recording path for the org's own
// account, never to a URL a callback could have named elsewhere; with
// TWILIO_API_URL set (npm start, tests) the request goes to the stand-in,
// as every other request of the adapter does.
import { TWILIO_API_HOST, type TwilioConfig, type TwilioCredentials } from "./client";

const RECORDING_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})(\.(?:mp3|wav|json))?$/;

export type RecordingFormat = "mp3" | "wav";

/** The media address of a RecordingUrl of the org's account, or null for anything else. */
export function recordingMediaUrl(recordingUrl: string, accountSid: string, format: RecordingFormat, config: TwilioConfig): string | null {
  let url: URL;
  try {
    url = new URL(recordingUrl);
  } catch {
    return null;
  }
  const m = RECORDING_PATH.exec(url.pathname);
  if (url.protocol !== "https:" || url.hostname !== TWILIO_API_HOST || !m || m[1] !== accountSid) return null;
  const path = `/2010-04-01/Accounts/${m[1]}/Recordings/${m[2]}.${format}`;
  return `${config.apiUrl ?? `https://${TWILIO_API_HOST}`}${path}`;
}

/** Twilio's answer for the recording's media, passing `range` on; null when the URL is not one of the account's recordings. */
export async function fetchRecordingMedia(
  creds: TwilioCredentials,
  config: TwilioConfig,
  recordingUrl: string,
  opts: { format: RecordingFormat; range?: string | null; signal?: AbortSignal },
): Promise<Response | null> {
  const url = recordingMediaUrl(recordingUrl, creds.accountSid, opts.format, config);
  if (!url) return null;
  const [user, pass] = creds.apiKeySid && creds.apiKeySecret ? [creds.apiKeySid, creds.apiKeySecret] : [creds.accountSid, creds.authToken];
  const headers: Record<string, string> = { authorization: `Basic ${btoa(`${user}:${pass}`)}` };
  if (opts.range && /^bytes=\d*-\d*$/.test(opts.range)) headers.range = opts.range;
  return fetch(url, { headers, signal: opts.signal, redirect: "follow" });
}
