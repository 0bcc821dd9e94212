import {
  type KyselyPlugin,
  Kysely,
  type LimitNode,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type RawBuilder,
  sql,
  type Transaction,
  ValueNode,
} from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { preparedStatementsOn } from "./prepare";
import type { DB } from "@/types/database";

/** Verified JWT claims of the caller (from Supabase Auth or an API key). */
export interface Claims {
  sub: string;
  role?: string;
  email?: string;
  [claim: string]: unknown;
}

export type Tx = Transaction<DB>;

/** Claims of a request made with an API key (set by private.api_key_authenticate). */
export interface ApiKeyClaims extends Claims {
  api_key_id: string;
  org_id: string;
  scopes: string[];
  member_role: string;
  rate_limit_per_minute: number;
  key_prefix: string;
}

export interface Database {
  /**
   * Runs `fn` in one transaction as the end user: the verified claims are set
   * as `request.jwt.claims` and the role becomes `authenticated`, so every
   * query is bound by row-level security.
   */
  asUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction as an API key: the database checks the
   * token (hash, revocation, expiry, the member still in the org) and the
   * transaction continues as `authenticated` with the key's claims, under
   * RLS. A bad token raises SQLSTATE 28000 (see `ApiKeyRejected`).
   * `retryAfter` is 0 when the key's rate limit had a token for this
   * request, else the seconds until it has one: the bucket is in the
   * database, shared by every app instance.
   */
  asApiKey<T>(token: string, fn: (tx: Tx, claims: ApiKeyClaims, retryAfter: number) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` as `service_role` (bypasses RLS). Only for trusted server work:
   * webhook ingestion, jobs, auth bootstrap. Never derived from a token.
   */
  asService<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** `select 1` on the login role: the health check. */
  ping(): Promise<void>;
  destroy(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `text` as a dollar-quoted SQL literal, under a tag that does not occur in it. */
function dollarQuoted(text: string): string {
  let tag: string;
  do tag = `$c${Math.random().toString(36).slice(2, 10)}$`;
  while (text.includes(tag));
  return `${tag}${text}${tag}`;
}

/** API tokens as minted: `covey_<8-char prefix>_<secret>` (the database checks the same shape). */
const API_TOKEN_SHAPE = /^covey_[a-z0-9]{8}_[A-Za-z0-9_-]{20,100}$/;

// Marks a parameterless statement batch to send with the simple query protocol.
const BATCH = "/* covey:batch */ ";

/**
 * The postgres.js client as kysely-postgres-js uses it, except that:
 * - a marked batch goes out as one simple-protocol message (the extended
 *   protocol, what every other query uses, takes one statement per message);
 * - with `prepare`, every other query is a named prepared statement, kept per
 *   connection: parsed and planned once instead of on every call, and sent
 *   in one round trip (an unnamed statement with parameters takes two, one to
 *   learn the parameter types). kysely-postgres-js calls `unsafe`, which
 *   would otherwise prepare nothing and send parameterless queries as simple
 *   queries, planned every time.
 */
function batchingClient(client: postgres.Sql, prepare: boolean): postgres.Sql {
  const reserve = async () => {
    const reserved = await client.reserve();
    return {
      unsafe: (query: string, params: postgres.ParameterOrJSON<never>[] = []) =>
        params.length === 0 && query.startsWith(BATCH)
          ? reserved.unsafe(query).simple()
          : // `simple` is read by unsafe() though its types leave it out.
            reserved.unsafe(query, params, { prepare, simple: false } as postgres.UnsafeQueryOptions),
      release: () => reserved.release(),
    };
  };
  return Object.assign((...args: Parameters<postgres.Sql>) => client(...args), { reserve, end: client.end }) as unknown as postgres.Sql;
}

class LimitsInline extends OperationNodeTransformer {
  protected override transformLimit(node: LimitNode): LimitNode {
    const limit = node.limit;
    if (ValueNode.is(limit) && !limit.immediate && Number.isSafeInteger(limit.value)) {
      return { ...node, limit: ValueNode.createImmediate(limit.value) };
    }
    return super.transformLimit(node);
  }
}

/**
 * Writes a query builder's whole-number `limit(n)` into the SQL instead of
 * binding it. A prepared statement planned with `LIMIT $1` does not know the
 * limit, so its generic plan assumes a tenth of the table, looks dearer than
 * a fresh plan, and Postgres plans the statement again on every call.
 */
export const limitsInline: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs) => new LimitsInline().transformNode(args.node),
  transformResult: (args) => Promise.resolve(args.result),
};

/**
 * A `LIMIT` for raw `sql` templates, which limitsInline cannot see into:
 * written into the SQL for the same reason. Only whole numbers reach the text.
 */
export function sqlLimit(n: number): RawBuilder<unknown> {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`limit must be a whole number, got ${n}`);
  return sql.lit(n);
}

/** Whether to use named prepared statements (lib/db/prepare.ts); DATABASE_PREPARE from the environment unless given. */
export function preparedStatementsFor(url: string, setting = process.env.DATABASE_PREPARE): boolean {
  return preparedStatementsOn(url, setting);
}

/**
 * libpq's form for a Unix-domain socket, `postgres://user:pw@localhost:5432/db?host=/tmp`:
 * the socket file in that directory. The embedded stack connects this way:
 * a round trip over a local socket costs both sides less CPU than over
 * loopback TCP.
 */
export function unixSocketPath(url: string): string | undefined {
  // Only such URLs are parsed here: postgres.js takes forms (several hosts) that URL does not.
  if (!/[?&]host=\//.test(url)) return undefined;
  const u = new URL(url);
  return `${u.searchParams.get("host")!.replace(/\/$/, "")}/.s.PGSQL.${u.port || 5432}`;
}

const withoutSocketDir = (url: string) => {
  if (!unixSocketPath(url)) return url;
  const u = new URL(url);
  u.searchParams.delete("host");
  return u.toString();
};

/**
 * A date or timestamp as Postgres writes it (`2026-08-20 09:30:00.5+00`), read
 * as ISO 8601 (`2026-08-20T09:30:00.5+00:00`). postgres.js hands the text to
 * Date as it is, which V8 reads only from the year 1000 on: an earlier year,
 * which a slip in a date box's year once stored, was an Invalid Date whose
 * toISOString threw, and every page listing that row failed.
 */
export const parseTimestamp = (text: string) => new Date(text.replace(" ", "T").replace(/(T[\d:.]+[+-]\d\d)$/, "$1:00"));

/**
 * The login role owns no tables and has no privileges of its own: a query
 * that does not go through asUser/asService fails with "permission denied"
 * instead of leaking.
 */
export function createDatabase(
  url: string,
  opts: { max?: number; prepare?: boolean; onnotice?: (notice: postgres.Notice) => void } = {},
): Database {
  const prepare = opts.prepare ?? preparedStatementsFor(url);
  const client = postgres(withoutSocketDir(url), {
    max: opts.max ?? 10,
    path: unixSocketPath(url),
    prepare,
    onnotice: opts.onnotice ?? (() => {}),
    connection: { application_name: "covey" },
    types: {
      date: {
        to: 1184,
        from: [1082, 1114, 1184],
        serialize: (x: Date | string) => (x instanceof Date ? x : new Date(x)).toISOString(),
        parse: parseTimestamp,
      },
    },
  });
  const kysely = new Kysely<DB>({
    dialect: new PostgresJSDialect({ postgres: batchingClient(client, prepare) }),
    plugins: [limitsInline],
  });

  return {
    asUser(claims, fn) {
      if (!claims?.sub) throw new Error("asUser requires verified claims with a subject");
      const session = claims.session_id;
      if (session !== undefined && (typeof session !== "string" || !UUID.test(session))) {
        throw new Error("asUser: the claims' session_id is not a session id");
      }
      // One round trip opens the transaction, sets the claims and the role,
      // and checks that the token's session still exists (signing out ends
      // it while the token still verifies). The check is its own statement
      // so it is parsed as `authenticated`, which may call it. Claims without
      // a session (tests) skip it.
      const claimsText = JSON.stringify({ ...claims, role: "authenticated" });
      const batch =
        `${BATCH}begin; select set_config('request.jwt.claims', ${dollarQuoted(claimsText)}, true), ` +
        `set_config('role', 'authenticated', true)` +
        (session ? `; select private.require_live_session('${session}')` : "");
      return kysely.connection().execute(async (db) => {
        const tx = db as unknown as Tx;
        let result: Awaited<ReturnType<typeof fn>>;
        try {
          await sql.raw(batch).execute(tx);
          result = await fn(tx);
        } catch (e) {
          await sql`rollback`.execute(tx).catch(() => {});
          throw e;
        }
        await sql`commit`.execute(tx);
        return result;
      });
    },
    asApiKey(token, fn) {
      // The common case, a well-formed token, opens the transaction, takes the
      // role and checks the key in one round trip. The shape check is what
      // makes writing the token into the statement safe.
      // The key's rate-limit token is taken first, in a transaction of its
      // own committed at once, so a busy key's requests hold its bucket row
      // for one statement, not for each other's whole transaction. (Without
      // its BEGIN, that COMMIT would end the batch's implicit transaction but
      // warn "there is no transaction in progress" on every request.)
      if (API_TOKEN_SHAPE.test(token)) {
        return kysely.connection().execute(async (db) => {
          const tx = db as unknown as Tx;
          let result: Awaited<ReturnType<typeof fn>>;
          try {
            const { rows } = await sql
              .raw<{ claims: string }>(
                `${BATCH}begin; select set_config('role', 'authenticated', true); ` +
                  `select private.api_key_take_token('${token}') as wait; commit; ` +
                  `begin; select set_config('role', 'authenticated', true); ` +
                  `select set_config('request.jwt.claims', private.api_key_authenticate('${token}')::text, true) as claims`,
              )
              .execute(tx);
            // A batch answers with one result per statement that returns rows.
            const cells = (rows as unknown as Record<string, unknown>[][]).flat();
            const { wait } = cells.find((c) => "wait" in c) as { wait: number };
            const { claims } = cells.find((c) => "claims" in c) as { claims: string };
            result = await fn(tx, JSON.parse(claims) as ApiKeyClaims, wait);
          } catch (e) {
            await sql`rollback`.execute(tx).catch(() => {});
            throw e;
          }
          await sql`commit`.execute(tx);
          return result;
        });
      }
      return kysely.transaction().execute(async (tx) => {
        await sql`select set_config('role', 'authenticated', true)`.execute(tx);
        // A token of any other shape is refused here, before any rate limit applies.
        const { rows } = await sql<{ claims: string }>`
          select set_config('request.jwt.claims', private.api_key_authenticate(${token})::text, true) as claims`.execute(tx);
        return fn(tx, JSON.parse(rows[0].claims) as ApiKeyClaims, 0);
      });
    },
    asService(fn) {
      return kysely.transaction().execute(async (tx) => {
        await sql`select set_config('request.jwt.claims', '{"role":"service_role"}', true),
                         set_config('role', 'service_role', true)`.execute(tx);
        return fn(tx);
      });
    },
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async destroy() {
      await kysely.destroy();
    },
  };
}

let shared: Database | undefined;

/** The app's database, from DATABASE_URL. */
export function database(): Database {
  if (!shared) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    shared = createDatabase(url);
  }
  return shared;
}

export { sql };
