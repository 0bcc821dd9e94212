// Whether a webhook really comes from Twilio for one of a workspace's
// numbers: the check twilio-sms and twilio-voice share.
//
// The org is found by its number (the caller names which parameters may
// hold it: `To` of an inbound text or call, `From` of a sent one's
// callback), the number's account must be the one that signed (AccountSid),
// and X-Twilio-Signature must be that account's auth token's signature of
// the public URL Twilio was given (signature.ts tries every address the
// request may have been sent to) and the parameters. Anything else is null:
// the caller answers 403 with nothing stored.
//
// Web-standard code on a postgres.js connection acting as service_role.
import { type Keyring, openSecret, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import type { SqlClient } from "../jobs/edge.ts";
import { paramsOf, publicUrlCandidates, SIGNATURE_HEADER, validTwilioSignature } from "./signature.ts";

export interface TwilioWebhookOptions {
  sql: SqlClient;
  keyring: () => Promise<Keyring>;
  /** TWILIO_WEBHOOK_BASE_URL, the public base of the functions (…/functions/v1), if configured. */
  webhookBaseUrl: string | null;
  /** The function's name, its path under the base (twilio-sms, twilio-voice). */
  functionName: string;
  /** Where refusals are told (never with the body). */
  log?: (line: string) => void;
}

export interface TwilioWebhookOrigin {
  orgId: string;
  phoneId: string;
  /** The org's number the webhook is about. */
  number: string;
  accountSid: string;
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** The workspace number among `numbers` (in that order) that Twilio signed this webhook for, or null. */
export async function verifyTwilioWebhook(
  req: Request,
  form: URLSearchParams,
  numbers: (string | null)[],
  opts: TwilioWebhookOptions,
): Promise<TwilioWebhookOrigin | null> {
  const log = opts.log ?? (() => {});
  const candidates = numbers.filter((n): n is string => !!n && E164.test(n));
  const accountSid = form.get("AccountSid") ?? "";
  const rows = candidates.length
    ? await opts.sql.unsafe(
        `select p.id, p.org_id, p.number, a.account_sid, s.secret
         from public.phones p
         join public.twilio_accounts a on a.org_id = p.org_id
         join public.org_secrets s on s.id = a.auth_token_secret_id and s.org_id = a.org_id
         where p.number = any ($1::text[])
         order by array_position($1::text[], p.number)`,
        [candidates],
      )
    : [];
  const signature = req.headers.get(SIGNATURE_HEADER);
  const urls = publicUrlCandidates(req, { webhookBaseUrl: opts.webhookBaseUrl, functionName: opts.functionName });
  const params = paramsOf(form);
  for (const row of rows) {
    if (row.account_sid !== accountSid) continue;
    let authToken: string;
    try {
      authToken = await openSecret(await opts.keyring(), row.secret, { orgId: row.org_id, purpose: "twilio.auth_token" });
    } catch (e) {
      if (!(e instanceof SecretDecryptError)) throw e;
      log(`the auth token of the account of ${row.number} cannot be decrypted with COVEY_SECRET_KEYS`);
      continue;
    }
    if (validTwilioSignature(authToken, signature, urls, params)) {
      return { orgId: row.org_id, phoneId: row.id, number: row.number, accountSid };
    }
  }
  log(rows.length === 0 ? "refused a webhook for a number no workspace has" : "refused a webhook whose X-Twilio-Signature does not match");
  return null;
}

export function twilioRefusal(): Response {
  return Response.json(
    { error: "forbidden", message: "X-Twilio-Signature is missing or does not match this request." },
    { status: 403, headers: { "cache-control": "no-store" } },
  );
}
