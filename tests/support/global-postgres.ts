// Starts one throwaway PostgreSQL for the integration run and migrates a
// template database; every test file clones its own database from it.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { applyLocalPlatform, applyMigrations } from "../../lib/db/migrate.ts";
import { freePort, startLocalPostgres } from "../../supabase/local/postgres.ts";

export const TEMPLATE_DB = "covey_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgPort: number;
    /** The superuser that set-up and assertions connect as. */
    pgAdminUser: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-test-"));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = pg.adminUrl(TEMPLATE_DB);
  await applyLocalPlatform(templateUrl);
  await applyMigrations(templateUrl);
  project.provide("pgPort", port);
  project.provide("pgAdminUser", "postgres");
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
