import { afterEach, describe, expect, it, vi } from "vitest";
import { drainHandler, type DrainRun } from "./drain";

interface Figures {
  claimed: number;
  disabled: string[];
  ms: number;
}

const SECRET = "s3cret-for-tests";
const call = (handler: (req: Request) => Promise<Response>, init: RequestInit = {}) =>
  handler(new Request("http://fn.local/", { method: "POST", headers: { authorization: `Bearer ${SECRET}` }, ...init }));

/** A pass that waits until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** A drain whose passes are recorded and, when gated, held until released. */
function fixture(opts: { maxRunMs?: number; missing?: string | null; fail?: Error } = {}) {
  const passes: number[] = [];
  const gates: ReturnType<typeof gate>[] = [];
  const closed = vi.fn(async () => {});
  let started = 0;
  const handler = drainHandler<Figures>({
    name: "test drain",
    secret: SECRET,
    missing: opts.missing ?? null,
    maxRunMs: opts.maxRunMs ?? 25_000,
    start: (): DrainRun<Figures> => {
      started++;
      return {
        pass: async (budgetMs) => {
          passes.push(budgetMs);
          const g = gate();
          gates.push(g);
          await g.opened;
          if (opts.fail) throw opts.fail;
          return { claimed: 2, disabled: [`endpoint-${passes.length}`], ms: 1 };
        },
        close: closed,
      };
    },
  });
  const released = async (n: number) => {
    await vi.waitFor(() => expect(gates.length).toBeGreaterThanOrEqual(n));
    gates[n - 1].open();
  };
  return { handler, passes, closed, released, runs: () => started };
}

afterEach(() => vi.restoreAllMocks());

describe("drainHandler", () => {
  it("answers only POSTs bearing the secret, and runs nothing otherwise", async () => {
    const f = fixture();
    expect((await f.handler(new Request("http://fn.local/", { headers: { authorization: `Bearer ${SECRET}` } }))).status).toBe(405);
    expect((await call(f.handler, { headers: {} })).status).toBe(401);
    expect((await call(f.handler, { headers: { authorization: `Bearer ${SECRET}x` } })).status).toBe(401);
    expect((await call(f.handler, { headers: { authorization: SECRET } })).status).toBe(401);
    expect(f.runs()).toBe(0);
  });

  it("refuses every call when it has no secret, even an empty bearer", async () => {
    const handler = drainHandler<Figures>({
      name: "test drain",
      secret: "",
      missing: null,
      maxRunMs: 1000,
      start: () => ({ pass: async () => ({ claimed: 0, disabled: [], ms: 0 }) }),
    });
    expect((await handler(new Request("http://fn.local/", { method: "POST", headers: { authorization: "Bearer " } }))).status).toBe(401);
  });

  it("says what is missing when it cannot run", async () => {
    const f = fixture({ missing: "DATABASE_URL (or SUPABASE_DB_URL) is not set" });
    const res = await call(f.handler);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "not_configured", message: "DATABASE_URL (or SUPABASE_DB_URL) is not set" });
    expect(f.runs()).toBe(0);
  });

  it("runs one drain at a time: a call during a run answers 202 and makes the run pass once more", async () => {
    const f = fixture();
    const first = call(f.handler);
    await vi.waitFor(() => expect(f.passes).toHaveLength(1));
    const nudge = await call(f.handler);
    expect(nudge.status).toBe(202);
    expect(await nudge.json()).toEqual({ status: "running" });
    // Two more nudges during the same pass still ask for one more pass only.
    await call(f.handler);
    await f.released(1);
    await f.released(2);
    const res = await first;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "done", claimed: 4, disabled: ["endpoint-1", "endpoint-2"] });
    expect(typeof body.ms).toBe("number");
    expect(f.passes).toHaveLength(2);
    expect(f.runs()).toBe(1);
    expect(f.closed).toHaveBeenCalledTimes(1);
  });

  it("starts a new run for a call after the last one ended", async () => {
    const f = fixture();
    const first = call(f.handler);
    await f.released(1);
    expect((await first).status).toBe(200);
    const second = call(f.handler);
    await f.released(2);
    expect(await (await second).json()).toMatchObject({ status: "done", claimed: 2, disabled: ["endpoint-2"] });
    expect(f.runs()).toBe(2);
    expect(f.closed).toHaveBeenCalledTimes(2);
  });

  it("gives each pass the time left and starts none once the run's time is up", async () => {
    const f = fixture({ maxRunMs: 0 });
    const first = call(f.handler);
    await vi.waitFor(() => expect(f.passes).toHaveLength(1));
    expect((await call(f.handler)).status).toBe(202);
    await f.released(1);
    expect((await first).status).toBe(200);
    expect(f.passes).toEqual([0]);
  });

  it("answers 500 when a pass throws, closes the run, and runs again on the next call", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const f = fixture({ fail: new Error("connection refused") });
    const first = call(f.handler);
    await f.released(1);
    const res = await first;
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "run_failed", message: "connection refused" });
    expect(f.closed).toHaveBeenCalledTimes(1);
    const second = call(f.handler);
    await f.released(2);
    expect((await second).status).toBe(500);
    expect(f.runs()).toBe(2);
  });
});
