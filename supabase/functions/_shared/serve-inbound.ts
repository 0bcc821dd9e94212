// The one serving shell of the functions providers call (meta-webhook,
// twilio-sms, twilio-voice, gmail-push): a postgres.js pool acting as
// service_role, a 503 naming what is missing while unconfigured, and a 500
// that logs the error's message but never the body (it is personal data)
// so the provider retries. What a delivery goes through (raw body,
// signature, stored once, jobs, a fast answer) is the module's handler, on
// modules/jobs' receiveInbound.
//
// `_shared` is not a function: Supabase deploys only named folders, and the
// embedded runtime hosts only those listed in supabase/local/functions.ts.
//
// Deploy each with `--no-verify-jwt`: providers send no Supabase token; their signature is the credential.
import postgres from "npm:postgres@^3.4.9";

export type Env = (name: string) => string;
export type ServiceSql = ReturnType<typeof postgres>;

export interface InboundFunction {
  name: string;
  /** Variables without which the function answers 503 (DATABASE_URL is always required). */
  requires: string[];
  /** Connections in the pool. */
  maxConnections?: number;
  handle(req: Request, ctx: { sql: ServiceSql; env: Env; log: (line: string) => void }): Promise<Response>;
}

export const env: Env = (name) => Deno.env.get(name) ?? "";

export function serveInbound(fn: InboundFunction): void {
  const databaseUrl = env("DATABASE_URL") || env("SUPABASE_DB_URL");
  const sql = databaseUrl
    ? postgres(databaseUrl, {
        max: fn.maxConnections ?? 8,
        prepare: false,
        onnotice: () => {},
        connection: { role: "service_role", application_name: fn.name },
      })
    : null;
  const missing = ["DATABASE_URL", ...fn.requires].filter((n) => (n === "DATABASE_URL" ? !sql : !env(n)));
  const log = (line: string) => console.error(`${fn.name}: ${line}`);

  Deno.serve(
    {
      port: Number(env("PORT") || 8000),
      hostname: env("HOSTNAME") || "0.0.0.0",
      onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
    },
    async (req) => {
      if (!sql || missing.length) {
        return Response.json({ error: "not_configured", message: `Set ${missing.join(", ")} for ${fn.name}.` }, { status: 503 });
      }
      try {
        return await fn.handle(req, { sql, env, log });
      } catch (e) {
        console.error(`${fn.name} failed:`, e instanceof Error ? e.message : String(e));
        return Response.json({ error: "internal_error" }, { status: 500 });
      }
    },
  );
}
