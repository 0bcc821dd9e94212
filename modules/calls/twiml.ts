// What a caller hears, as TwiML built with the twilio SDK's VoiceResponse
// (which escapes every text and URL): the number's greeting, then its
// default owner's phone (or every phone of its default team at once) for so
// many seconds, then voicemail; after hours, straight to voicemail with the
// after-hours greeting.
//
// Web-standard apart from the SDK itself.
import twilio from "twilio";

export interface VoiceSettings {
  voiceGreeting: string;
  voiceGreetingUrl: string | null;
  forwardTimeoutSeconds: number;
  voicemailGreeting: string;
  voicemailMaxSeconds: number;
  afterHoursGreeting: string;
}

/** The absolute addresses Twilio is sent on to, under the function's public URL. */
export interface VoiceRoutes {
  /** The forward's action; `member` when one member was rung, so their answer is recorded. */
  dial(member: string | null): string;
  recording: string;
  hangup: string;
}

const xml = (r: InstanceType<typeof twilio.twiml.VoiceResponse>) => r.toString();

function voicemail(r: InstanceType<typeof twilio.twiml.VoiceResponse>, greeting: string, settings: VoiceSettings, routes: VoiceRoutes) {
  r.say(greeting);
  r.record({
    maxLength: settings.voicemailMaxSeconds,
    playBeep: true,
    // Without an action Twilio asks the current document again after recording, which would start the call over.
    action: routes.hangup,
    method: "POST",
    recordingStatusCallback: routes.recording,
    recordingStatusCallbackMethod: "POST",
    recordingStatusCallbackEvent: ["completed"],
  });
}

/** Twilio rings at most this many <Number>s of one <Dial> at once. */
export const MAX_DIAL_NUMBERS = 10;

/**
 * An inbound call's first answer. `forward` is whom the number forwards to:
 * its default owner, or the members of its default team, each with their
 * phone; the first to answer takes the call.
 */
export function answerTwiml(
  settings: VoiceSettings,
  o: { open: boolean; forward: { to: { member: string; phone: string }[]; callerId: string } | null; routes: VoiceRoutes },
): string {
  const r = new twilio.twiml.VoiceResponse();
  if (!o.open) {
    voicemail(r, settings.afterHoursGreeting, settings, o.routes);
    return xml(r);
  }
  if (settings.voiceGreetingUrl) r.play(settings.voiceGreetingUrl);
  else r.say(settings.voiceGreeting);
  const to = o.forward?.to.slice(0, MAX_DIAL_NUMBERS) ?? [];
  if (!o.forward || !to.length) {
    voicemail(r, settings.voicemailGreeting, settings, o.routes);
    return xml(r);
  }
  const action = o.routes.dial(to.length === 1 ? to[0].member : null);
  const dial = r.dial({ timeout: settings.forwardTimeoutSeconds, action, method: "POST", callerId: o.forward.callerId });
  for (const t of to) dial.number(t.phone);
  return xml(r);
}

/** After the forward: nothing more when the member took it, else voicemail. */
export function afterDialTwiml(answered: boolean, settings: VoiceSettings, routes: VoiceRoutes): string {
  const r = new twilio.twiml.VoiceResponse();
  if (answered) r.hangup();
  else voicemail(r, settings.voicemailGreeting, settings, routes);
  return xml(r);
}

export function hangupTwiml(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.hangup();
  return xml(r);
}

/** A number that takes no calls. */
export function rejectTwiml(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.reject({ reason: "busy" });
  return xml(r);
}
