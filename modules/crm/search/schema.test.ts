import { describe, expect, it } from "vitest";
import { searchQuerySchema } from "./schema";

describe("searchQuerySchema", () => {
  it("refuses NUL in the search text, which the database could not compare, with a message naming it", () => {
    const r = searchQuerySchema.safeParse({ q: "a\u0000b" });
    expect(r.success ? null : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["q", "Search text contains a character that is not allowed (NUL)"],
    ]);
    expect(searchQuerySchema.parse({ q: "  ada " })).toEqual({ q: "ada" });
  });
});
