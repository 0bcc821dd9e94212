import { describe, expect, it } from "vitest";
import { isMappingTarget, mapFieldData } from "./mapping";

const data = (o: Record<string, string>) => Object.entries(o).map(([name, v]) => ({ name, values: [v] }));

describe("mapping a Meta lead's answers", () => {
  it("uses the defaults for Meta's standard questions and splits a full name", () => {
    expect(mapFieldData(data({ full_name: "Mary Ann Smith", email: "Mary@Example.COM", phone_number: "+15551234567", state: "TX" }), {})).toEqual({
      fields: { firstName: "Mary Ann", lastName: "Smith", email: "mary@example.com", phone: "+15551234567", state: "TX" },
      custom: {},
    });
  });

  it("follows the form's mapping, and keeps unclaimed answers in the message with their labels", () => {
    const mapped = mapFieldData(
      data({ full_name: "Jo", zip_code: "73301", how_did_you_hear: "A friend", budget: "10k" }),
      { zip_code: "custom:zip", budget: "ignore" },
      { how_did_you_hear: "How did you hear about us?" },
    );
    expect(mapped).toEqual({ fields: { firstName: "Jo", message: "How did you hear about us?: A friend" }, custom: { zip: "73301" } });
  });

  it("lets explicit first and last names win over a full name, and skips empty answers", () => {
    const mapped = mapFieldData(
      [
        { name: "full_name", values: ["Alexander Hamilton"] },
        { name: "first_name", values: ["Alex"] },
        { name: "email", values: ["  "] },
      ],
      {},
    );
    expect(mapped.fields).toEqual({ firstName: "Alex", lastName: "Hamilton" });
  });

  it("accepts only lead fields, custom field keys or ignore as targets", () => {
    expect(["email", "custom:zip", "ignore", "message"].every(isMappingTarget)).toBe(true);
    expect(["password", "custom:", "custom:Bad Key", 3].some(isMappingTarget)).toBe(false);
  });
});
