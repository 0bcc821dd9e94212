import { describe, expect, it } from "vitest";
import { type ListField, rowsForColumns } from "./fields";

const fields: ListField[] = [
  { key: "name", label: "Name", type: "text", sortable: true, filterable: true },
  { key: "email", label: "Email", type: "email", sortable: true, filterable: true },
  { key: "city", label: "City", type: "text", sortable: true, filterable: true, defaultVisible: false },
  { key: "value", label: "Value", type: "money", sortable: true, filterable: true },
  { key: "custom.tier", label: "Tier", type: "select", sortable: true, filterable: true, defaultVisible: false },
];

const row = { id: "r1", name: "Ada", email: "ada@example.test", city: "London", value: "100", currency: "EUR", source: "web", custom: { tier: "gold", other: 1 } };

describe("rowsForColumns", () => {
  it("keeps the id, title, currency and the default columns only", () => {
    expect(rowsForColumns([row], fields)).toEqual([{ id: "r1", name: "Ada", email: "ada@example.test", value: "100", currency: "EUR" }]);
  });

  it("follows the chosen columns, custom fields included", () => {
    expect(rowsForColumns([row], fields, ["city", "custom.tier"])).toEqual([{ id: "r1", name: "Ada", city: "London", currency: "EUR", "custom.tier": "gold" }]);
  });
});
