// supabase/schema.sql is the schema the migrations build, as `db:types
// --verify` holds types/database.ts to it.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { SCHEMA_FILE, schemaFileText } from "@/lib/db/schema";
import { useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

it("supabase/schema.sql matches what supabase/migrations build", async () => {
  const built = await schemaFileText(t.adminUrl);
  expect(readFileSync(SCHEMA_FILE, "utf8"), "supabase/schema.sql is stale; regenerate it: npm run db:schema").toBe(built);
});
