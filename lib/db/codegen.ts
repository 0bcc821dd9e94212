// Regenerates types/database.ts from the migrated schema:
//   npm run db:types            write the file
//   npm run db:types -- --verify   fail when it is stale
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLocalPostgres } from "../../supabase/local/postgres.ts";
import { applyLocalPlatform, applyMigrations } from "./migrate.ts";

export const TYPES_FILE = path.resolve(import.meta.dirname, "../../types/database.ts");

export function runCodegen(url: string, extra: string[] = []) {
  const bin = path.resolve(import.meta.dirname, "../../node_modules/.bin/kysely-codegen");
  return execFileSync(
    bin,
    [
      "--url", url,
      "--dialect", "postgres",
      "--include-pattern", "public.*",
      "--out-file", TYPES_FILE,
      "--log-level", "error",
      ...extra,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-codegen-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: 54399, persistent: false });
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    process.stdout.write(runCodegen(pg.adminUrl(), process.argv.includes("--verify") ? ["--verify"] : []));
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((e) => {
    console.error(e.stderr?.toString() || e.message);
    process.exit(1);
  });
}
