import { describe, expect, it } from "vitest";
import { normalizeCustomValue, slugifyKey } from "./schema";

describe("slugifyKey", () => {
  it("turns a label into a key the database accepts", () => {
    expect(slugifyKey("Annual budget (USD)")).toBe("annual_budget_usd");
    expect(slugifyKey("Crème brûlée")).toBe("creme_brulee");
    expect(slugifyKey("2nd contact")).toBe("f_2nd_contact");
    expect(slugifyKey("!!!")).toBe("field");
    expect(slugifyKey("x".repeat(60))).toHaveLength(40);
  });
});

describe("normalizeCustomValue", () => {
  const tier = { key: "tier", label: "Tier", type: "select" as const, options: [{ value: "gold", label: "Gold" }], required: false };
  it("matches select options by value or label, in any case", () => {
    expect(normalizeCustomValue(tier, "GOLD")).toEqual({ ok: true, value: "gold" });
    expect(normalizeCustomValue(tier, "gold")).toEqual({ ok: true, value: "gold" });
    expect(normalizeCustomValue(tier, "tin")).toMatchObject({ ok: false });
  });
  it("reads numbers with grouping and refuses the rest", () => {
    const n = { key: "n", label: "N", type: "number" as const, options: [], required: false };
    expect(normalizeCustomValue(n, "1,234.5")).toEqual({ ok: true, value: 1234.5 });
    expect(normalizeCustomValue(n, "-0.5")).toEqual({ ok: true, value: -0.5 });
    expect(normalizeCustomValue(n, "1e400")).toMatchObject({ ok: false });
    expect(normalizeCustomValue(n, Number.NaN)).toMatchObject({ ok: false });
  });
  it("reads checkbox words", () => {
    const c = { key: "c", label: "C", type: "checkbox" as const, options: [], required: false };
    for (const yes of ["on", "TRUE", "yes", "1", true]) expect(normalizeCustomValue(c, yes)).toEqual({ ok: true, value: true });
    for (const no of ["off", "false", "No", "0", "", false]) expect(normalizeCustomValue(c, no)).toEqual({ ok: true, value: false });
  });
});
