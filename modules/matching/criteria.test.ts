import { describe, expect, it } from "vitest";
import { byFit, type Criterion, explain, fit, type MatchSubject } from "./criteria";

const subject = (o: Partial<MatchSubject> & { state?: string | null } = {}): MatchSubject => ({
  valueMinor: o.valueMinor ?? 0,
  currency: o.currency ?? "USD",
  custom: o.custom ?? {},
  person: o.state === undefined && !o.person ? null : (o.person ?? { state: o.state ?? null, country: "US", custom: {} }),
});

const criterion = (o: Partial<Criterion>): Criterion => ({
  id: "c1",
  label: "Test",
  leftField: "person.state",
  leftTerm: "Lives in",
  operator: "in",
  rightField: "custom.states",
  rightTerm: "accepts",
  values: [],
  ...o,
});

describe("explain", () => {
  it("reads a text field as the list people type, whatever the case", () => {
    const r = explain(criterion({}), subject({ state: "tx" }), subject({ custom: { states: "CA; TX / WA" } }));
    expect(r).toMatchObject({ outcome: "met", text: "Lives in tx: accepts tx" });
  });

  it("says which side's value is missing instead of guessing", () => {
    expect(explain(criterion({}), subject(), subject({ custom: { states: ["TX"] } }))).toMatchObject({ outcome: "unknown", text: "Test: Lives in not recorded" });
    expect(explain(criterion({ operator: "lte", leftField: "custom.pay", rightField: "deal.value" }), subject({ custom: { pay: 10 } }), subject())).toMatchObject({
      outcome: "unknown",
      text: "Test: accepts not recorded",
    });
  });

  it("keeps lists the org holds, either way round", () => {
    const on = criterion({ operator: "in_list", rightField: null, rightTerm: "on the list", values: ["CA", "TX"] });
    expect(explain(on, subject({ state: "LA" }), subject()).outcome).toBe("unmet");
    const off = { ...on, operator: "not_in_list" as const, rightTerm: "on the banned list" };
    expect(explain(off, subject({ state: "LA" }), subject())).toMatchObject({ outcome: "met", text: "Lives in LA: not on the banned list" });
  });

  it("compares money in the deal's currency and numbers as they are", () => {
    const c = criterion({ operator: "gte", leftField: "deal.value", leftTerm: "Budget", rightField: "custom.ask", rightTerm: "ask" });
    expect(explain(c, subject({ valueMinor: 1_250_050 }), subject({ custom: { ask: 12_000 } }))).toMatchObject({ outcome: "met", text: "Budget $12,500.50 ≥ ask $12,000" });
    const eq = criterion({ operator: "eq", leftField: "custom.kids", rightField: "custom.kids", leftTerm: "Has", rightTerm: "wants" });
    expect(explain(eq, subject({ custom: { kids: 2 } }), subject({ custom: { kids: "2" } })).outcome).toBe("met");
    const both = criterion({ operator: "overlaps", leftField: "custom.langs", rightField: "custom.langs", label: "Languages" });
    expect(explain(both, subject({ custom: { langs: ["English", "Spanish"] } }), subject({ custom: { langs: ["spanish"] } }))).toMatchObject({ outcome: "met", text: "Languages: both Spanish" });
  });
});

describe("byFit", () => {
  it("puts fewest unmet first, then most met", () => {
    const c = [criterion({}), criterion({ id: "c2", operator: "in_list", rightField: null, values: ["TX"] })];
    const left = subject({ state: "TX" });
    const fits = [subject({ custom: { states: ["CA"] } }), subject(), subject({ custom: { states: ["TX"] } })].map((r) => fit(c, left, r));
    expect(fits.map((f) => [f.met, f.unmet, f.unknown])).toEqual([[1, 1, 0], [1, 0, 1], [2, 0, 0]]);
    expect([...fits].sort(byFit).map((f) => f.met)).toEqual([2, 1, 1]);
    expect([...fits].sort(byFit)[2].unmet).toBe(1);
  });
});
