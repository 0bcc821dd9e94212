import { describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/tests/support/db";

useTestDatabase();

describe("GET /api/health", () => {
  it("answers ok when the database is reachable", async () => {
    const { GET } = await import("./route");
    const res = await GET(new Request("http://localhost/api/health"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
  });

  it("answers 503 when it is not", async () => {
    const db = await import("@/lib/db");
    // A database nobody listens on: port 1.
    const down = db.createDatabase("postgres://covey_app:x@127.0.0.1:1/postgres");
    const spy = vi.spyOn(db, "database").mockReturnValue(down);
    const { GET } = await import("./route");
    const res = await GET(new Request("http://localhost/api/health"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "error", database: "unreachable" });
    spy.mockRestore();
    await down.destroy();
  });
});
