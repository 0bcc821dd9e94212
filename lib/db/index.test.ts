import { Kysely, PostgresDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { createDatabase, parseTimestamp, preparedStatementsFor, sql, sqlLimit, unixSocketPath } from "./index";

describe("preparedStatementsFor", () => {
  it("prepares on a direct or session-mode connection", () => {
    expect(preparedStatementsFor("postgres://covey_app:x@127.0.0.1:54322/postgres", undefined)).toBe(true);
    expect(preparedStatementsFor("postgres://covey_app.ref:x@aws-0-eu.pooler.supabase.com:5432/postgres", undefined)).toBe(true);
  });

  it("does not prepare behind Supavisor's transaction mode (port 6543)", () => {
    expect(preparedStatementsFor("postgres://covey_app.ref:x@aws-0-eu.pooler.supabase.com:6543/postgres", undefined)).toBe(false);
  });

  it("follows DATABASE_PREPARE when it is set", () => {
    expect(preparedStatementsFor("postgres://a:b@127.0.0.1:5432/postgres", "false")).toBe(false);
    expect(preparedStatementsFor("postgres://a:b@pooler:6543/postgres", "true")).toBe(true);
  });
});

describe("parseTimestamp", () => {
  it("reads Postgres's text of a date or timestamp, in any four-digit year", () => {
    expect(parseTimestamp("2026-12-07 18:35:04.123456+00").toISOString()).toBe("2026-12-07T18:35:04.123Z");
    expect(parseTimestamp("2026-12-07 09:30:00+05:30").toISOString()).toBe("2026-12-07T04:00:00.000Z");
    expect(parseTimestamp("2026-12-07 09:30:00-08").toISOString()).toBe("2026-12-07T17:30:00.000Z");
    expect(parseTimestamp("0026-08-20 00:00:00+00").toISOString()).toBe("0026-08-20T00:00:00.000Z");
    expect(parseTimestamp("2026-08-20").toISOString()).toBe("2026-08-20T00:00:00.000Z");
  });
});

describe("unixSocketPath", () => {
  it("reads libpq's ?host=<directory> as the socket file in it", () => {
    expect(unixSocketPath("postgres://a:b@localhost:54322/postgres?host=/tmp")).toBe("/tmp/.s.PGSQL.54322");
    expect(unixSocketPath("postgres://a:b@localhost/postgres?host=/var/run/postgresql/")).toBe("/var/run/postgresql/.s.PGSQL.5432");
  });

  it("leaves TCP URLs alone", () => {
    expect(unixSocketPath("postgres://a:b@127.0.0.1:54322/postgres")).toBeUndefined();
    expect(unixSocketPath("postgres://a:b@127.0.0.1:54322/postgres?host=db.internal")).toBeUndefined();
  });
});

describe("createDatabase", () => {
  it("accepts URLs with several hosts, which only postgres.js parses", async () => {
    let db: ReturnType<typeof createDatabase> | undefined;
    expect(() => (db = createDatabase("postgres://a:b@h1:5432,h2:5433/postgres"))).not.toThrow();
    await db?.destroy();
  });
});

describe("sqlLimit", () => {
  it("writes a whole number into the SQL and refuses anything else", () => {
    const q = sql`select 1 limit ${sqlLimit(25)}`.compile(new Kysely<never>({ dialect: new PostgresDialect({ pool: {} as never }) }));
    expect(q.sql).toBe("select 1 limit 25");
    expect(q.parameters).toEqual([]);
    for (const bad of [1.5, -1, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) expect(() => sqlLimit(bad)).toThrow(/whole number/);
  });
});
