// Email from code Deno also runs (jobs): the same two drivers as index.ts,
// in web-standard TypeScript. Resend through its HTTP API (the SDK is
// Node's), or the embedded runtime's dev mailbox through the job's own
// service_role connection. MAIL_DRIVER, MAIL_FROM and RESEND_API_KEY come
// from the function's environment, as the app's do.

export interface EdgeMailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** What kind of email this is (partner_offer, ...). */
  tag: string;
  /** The org it is sent for, under which it is logged. */
  orgId?: string | null;
}

export interface EdgeMailContext {
  sql: {
    // deno-lint-ignore no-explicit-any
    unsafe(query: string, params?: any[]): PromiseLike<readonly Record<string, any>[]>;
  };
  env: (name: string) => string;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

const RESEND_URL = "https://api.resend.com/emails";

export async function sendMailFromEdge(ctx: EdgeMailContext, m: EdgeMailMessage): Promise<void> {
  const from = ctx.env("MAIL_FROM") || "Covey <no-reply@covey.local>";
  if (ctx.env("MAIL_DRIVER") === "resend") {
    const key = ctx.env("RESEND_API_KEY");
    if (!key) throw new Error("RESEND_API_KEY is required when MAIL_DRIVER=resend");
    const res = await ctx.fetch(RESEND_URL, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ from, to: m.to, subject: m.subject, html: m.html, text: m.text, tags: [{ name: "type", value: m.tag }] }),
      signal: ctx.signal,
    });
    if (!res.ok) throw new Error(`Resend refused the email: ${res.status} ${(await res.text()).slice(0, 300)}`);
  } else {
    await ctx.sql.unsafe(
      `insert into local_dev.mailbox (to_address, from_address, subject, html, text, tag) values ($1, $2, $3, $4, $5, $6)`,
      [m.to, from, m.subject, m.html, m.text, m.tag],
    );
  }
  // Every email that went out is logged with its org (never its body).
  await ctx.sql.unsafe("select private.log_system_email($1, $2, $3, $4, $5, $6)", [
    m.orgId ?? null,
    m.to,
    from,
    m.subject,
    m.tag,
    ctx.env("MAIL_DRIVER") === "resend" ? "resend" : "dev_mailbox",
  ]);
}
