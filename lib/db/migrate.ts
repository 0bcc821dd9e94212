import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "../..");
export const MIGRATIONS_DIR = path.join(root, "supabase/migrations");
export const LOCAL_SQL_DIR = path.join(root, "supabase/local/sql");
export const SEED_FILE = path.join(root, "supabase/seed.sql");

/** Local passwords for the embedded runtime's login roles (loopback only). */
export const LOCAL_ROLE_PASSWORDS = {
  covey_app: "covey-local-app",
  supabase_auth_admin: "covey-local-auth-admin",
} as const;

/** The .sql files of a folder in the order they apply, with their text. */
export function sqlFiles(dir: string) {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(path.join(dir, f), "utf8") }));
}

/** Makes a plain PostgreSQL database look like a Supabase project. */
export async function applyLocalPlatform(adminUrl: string, dir = LOCAL_SQL_DIR) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const { text } of sqlFiles(dir)) await sql.unsafe(text);
    for (const [role, password] of Object.entries(LOCAL_ROLE_PASSWORDS)) {
      await sql.unsafe(`alter role ${role} password '${password}'`);
    }
  } finally {
    await sql.end();
  }
}

/**
 * The database records migrations that supabase/migrations does not have:
 * it was built by another chain (such as the one consolidated into
 * 20261201*), and applying this chain on top of it would fail half-way.
 */
export class UnknownMigrationsError extends Error {
  constructor(readonly versions: string[]) {
    const shown = versions.length > 3 ? `${versions[0]} … ${versions.at(-1)}` : versions.join(", ");
    super(
      `The database records ${versions.length} migration(s) that supabase/migrations does not have (${shown}): ` +
        "it was built by another chain of migrations (the 20261121… chain, since rewritten into one file per " +
        "concern) or by a newer checkout, and this chain cannot be applied on top of it. Migrate a fresh database instead.",
    );
  }
}

/**
 * Applies supabase/migrations in order, each in its own session and
 * transaction as `supabase db push` does, so no migration can lean on what
 * an earlier one left in the session (a loaded library, a setting). Records
 * them in supabase_migrations.schema_migrations the way the Supabase CLI
 * does, so `supabase db push` sees the same history.
 */
export async function applyMigrations(
  adminUrl: string,
  log: (m: string) => void = () => {},
  dir = MIGRATIONS_DIR,
) {
  const applied: string[] = [];
  const done = await withSession(adminUrl, async (sql) =>
    new Set(
      (await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`).map(
        (r) => r.version,
      ),
    ),
  );
  const files = sqlFiles(dir);
  const known = new Set(files.map(({ file }) => file.split("_")[0]));
  const unknown = [...done].filter((v) => !known.has(v)).sort();
  if (unknown.length) throw new UnknownMigrationsError(unknown);
  for (const { file, text } of files) {
    const match = /^(\d+)_(.+)\.sql$/.exec(file);
    if (!match) throw new Error(`Migration file name must be <version>_<name>.sql: ${file}`);
    const [, version, name] = match;
    if (done.has(version)) continue;
    await withSession(adminUrl, (sql) =>
      sql.begin(async (tx) => {
        await tx.unsafe(text);
        await tx`insert into supabase_migrations.schema_migrations (version, name, statements)
                 values (${version}, ${name}, ${[text]})`;
      }),
    ).catch((e: unknown) => {
      throw new Error(`Migration ${file} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    });
    applied.push(file);
    log(`migration applied: ${file}`);
  }
  return applied;
}

async function withSession<T>(url: string, run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

/** Runs supabase/seed.sql once per database (recorded by content hash). */
export async function applySeed(adminUrl: string, log: (m: string) => void = () => {}) {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const text = readFileSync(SEED_FILE, "utf8");
    const [seeded] = await sql`select 1 from supabase_migrations.seed_files where path = 'supabase/seed.sql'`;
    if (seeded) return false;
    const hash = createHash("sha256").update(text).digest("hex");
    await sql.begin(async (tx) => {
      await tx.unsafe(text);
      await tx`insert into supabase_migrations.seed_files (path, hash) values ('supabase/seed.sql', ${hash})`;
    });
    log("demo data seeded");
    return true;
  } finally {
    await sql.end();
  }
}
