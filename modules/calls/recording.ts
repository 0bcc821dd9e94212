// GET /api/calls/{id}/recording: a call's recording or voicemail for the
// timeline's audio player. The member's own transaction reads the call, so
// RLS decides who may hear it; the org's Twilio credentials then fetch the
// audio from Twilio (modules/twilio's fetchRecordingMedia), Range requests
// passed on so the player can seek, and nothing is cached beyond the
// member's browser.
import type { Session } from "@/lib/auth/session";
import type { Database } from "@/lib/db";
import { DomainError, errorResponse, notFound } from "@/lib/errors";
import { fetchRecordingMedia, openCredentials, type TwilioDeps } from "@/modules/twilio";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PASSED_ON = ["content-type", "content-length", "content-range", "accept-ranges", "last-modified", "etag"];

interface Deps {
  session: () => Promise<Session | null>;
  database: () => Database;
  twilio: () => TwilioDeps;
  log?: (error: unknown) => void;
}

export function createRecordingHandler(deps: Deps) {
  return async function recording(request: Request, id: string): Promise<Response> {
    const session = await deps.session();
    if (!session) return errorResponse(new DomainError("unauthorized"));
    const missing = () => errorResponse(notFound("This call has no recording."));
    if (!UUID.test(id)) return missing();
    try {
      const call = await deps
        .database()
        .asUser(session.claims, (tx) => tx.selectFrom("calls").select(["org_id", "recording_url"]).where("id", "=", id).executeTakeFirst());
      if (!call?.recording_url) return missing();
      const twilio = deps.twilio();
      const creds = await openCredentials(twilio, call.org_id);
      if (!creds) throw new DomainError("not_configured", "Twilio is not connected, so its recordings cannot be fetched. Connect the account in Settings → Numbers.");
      const upstream = await fetchRecordingMedia(creds, twilio.config, call.recording_url, {
        format: "wav",
        range: request.headers.get("range"),
        signal: request.signal,
      });
      if (!upstream) return missing();
      if (upstream.status === 404) return missing();
      if (!upstream.ok) {
        await upstream.body?.cancel();
        throw new DomainError("provider_unavailable", `Twilio answered ${upstream.status} for this recording. Try again in a moment.`);
      }
      const headers = new Headers({ "cache-control": "private, max-age=3600" });
      for (const h of PASSED_ON) {
        const v = upstream.headers.get(h);
        if (v) headers.set(h, v);
      }
      return new Response(upstream.body, { status: upstream.status, headers });
    } catch (e) {
      return errorResponse(e, deps.log);
    }
  };
}
