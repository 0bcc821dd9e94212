import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/tests/support/db";
import { runCodegen } from "./codegen";

const t = useTestDatabase();

describe("generated database types", () => {
  it("match the migrated schema (run `npm run db:types` after a migration)", async () => {
    expect(() => runCodegen(t.adminUrl, ["--verify"])).not.toThrow();
  });
});
