// supabase/schema.sql is the schema the migrations build, as `db:types
// --verify` holds types/database.ts to it; and a database built by another
// chain of migrations is refused rather than migrated on top.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { applyMigrations, UnknownMigrationsError } from "@/lib/db/migrate";
import { SCHEMA_FILE, schemaFileText } from "@/lib/db/schema";
import { useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

it("supabase/schema.sql matches what supabase/migrations build", async () => {
  const built = await schemaFileText(t.adminUrl);
  expect(readFileSync(SCHEMA_FILE, "utf8"), "supabase/schema.sql is stale; regenerate it: npm run db:schema").toBe(built);
});

it("refuses to migrate a database that records migrations supabase/migrations does not have", async () => {
  await t.admin`insert into supabase_migrations.schema_migrations (version, name) values ('20261121000100', 'tenancy_helpers')`;
  const refused = await applyMigrations(t.adminUrl).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(UnknownMigrationsError);
  expect((refused as Error).message).toMatch(/1 migration\(s\) that supabase\/migrations does not have \(20261121000100\)/);
});
