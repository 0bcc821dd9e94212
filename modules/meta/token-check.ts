// The daily `meta.token_check` job: asks Meta (debug_token) about every
// connected page's token, records the verdict on the page and in the Meta
// card's health, and raises an integration alert (Settings → Integrations,
// and the owners' and admins' bells) when a token expires within 7 days,
// has expired, or lost a permission. Meta does not warn anyone; without
// this a page silently stops producing leads. One alert per page
// (fingerprint meta:token:<page id>): a daily repeat or a worse verdict
// counts on it instead of notifying again, and a token that works again
// resolves it.
// Web-standard: the jobs Edge Function runs it.
import { openSecret, parseKeyring, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import type { JobHandler } from "../jobs/edge.ts";
import { GraphError, graphClient, metaConfig } from "./graph.ts";
import { TOKEN_STATUS_LABELS, type TokenVerdict, tokenVerdict } from "./token-status.ts";

export const TOKEN_CHECK_JOB = "meta.token_check";

function alertText(name: string, v: TokenVerdict): { title: string; body: string } {
  const when = v.expiresAt ? v.expiresAt.toISOString().slice(0, 10) : null;
  switch (v.status) {
    case "expiring":
      return { title: `Meta token for ${name} expires soon`, body: `It expires on ${when}. Replace it in Settings → Integrations → Meta before leads stop arriving.` };
    case "expired":
      return { title: `Meta token for ${name} has expired`, body: "Leads from this page cannot be fetched. Replace the token in Settings → Integrations → Meta." };
    default:
      return { title: `Meta token for ${name} no longer works`, body: `${v.error ?? TOKEN_STATUS_LABELS[v.status]}. Replace the token in Settings → Integrations → Meta.` };
  }
}

export const checkMetaTokens: JobHandler = async (_job, ctx) => {
  const pages = await ctx.sql.unsafe(
    `select p.id, p.org_id, p.page_id, p.name, s.secret
     from public.meta_pages p join public.org_secrets s on s.id = p.token_secret_id and s.org_id = p.org_id
     order by p.id`,
  );
  if (pages.length === 0) return;
  const keyring = await parseKeyring(ctx.env("COVEY_SECRET_KEYS"));
  const graph = graphClient(metaConfig((n) => ctx.env(n) || undefined), ctx.fetch);
  let unreachable = 0;
  const record = (page: (typeof pages)[number], ok: boolean, error: string | null) =>
    ctx.sql.unsafe("select private.record_integration_result($1, 'meta', $2, $3, $4)", [page.org_id, page.page_id, ok, error]);
  for (const page of pages) {
    let verdict: TokenVerdict;
    try {
      const token = await openSecret(keyring, page.secret as string, { orgId: page.org_id, purpose: `meta.page_token:${page.page_id}` });
      verdict = tokenVerdict(await graph.debugToken(token));
    } catch (e) {
      if (e instanceof SecretDecryptError) verdict = { status: "invalid", expiresAt: null, error: "The stored token cannot be decrypted with this deployment's keys" };
      else if (e instanceof GraphError && e.transient) {
        unreachable++;
        await record(page, false, "Meta could not be reached to check the page token");
        continue;
      } else throw e;
    }
    await ctx.sql.unsafe(
      `update public.meta_pages set token_status = $2, token_expires_at = $3, token_error = $4, token_checked_at = now() where id = $1`,
      [page.id, verdict.status, verdict.expiresAt?.toISOString() ?? null, verdict.error?.slice(0, 500) ?? null],
    );
    // An expiring token still fetches leads; Meta's own error text names no token or person.
    const works = verdict.status === "valid" || verdict.status === "expiring";
    await record(page, works, works ? null : `${TOKEN_STATUS_LABELS[verdict.status]}: ${verdict.error ?? "the page token does not work"}`);
    const fingerprint = `meta:token:${page.page_id}`;
    if (verdict.status === "valid") {
      await ctx.sql.unsafe("select private.resolve_alert($1, $2)", [page.org_id, fingerprint]);
      continue;
    }
    const { title, body } = alertText(page.name as string, verdict);
    await ctx.sql.unsafe("select private.raise_alert($1, 'meta', $2, $3, $4, $5, $6)", [
      page.org_id,
      page.page_id,
      fingerprint,
      works ? "warning" : "critical",
      title,
      body,
    ]);
  }
  // Pages Meta did not answer for are checked again when the job is retried.
  if (unreachable) throw new Error(`Meta could not be reached to check ${unreachable} page token(s)`);
};
