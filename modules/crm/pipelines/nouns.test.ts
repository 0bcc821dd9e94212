import { describe, expect, it } from "vitest";
import { inSentence, nounsOf } from "./nouns";

describe("nounsOf", () => {
  it("names a pipeline's deals by its nouns", () => {
    expect(nounsOf({ nounSingular: "Case", nounPlural: "Cases" })).toEqual({ singular: "Case", plural: "Cases" });
    expect(nounsOf({ nounSingular: "Intended parent", nounPlural: "Intended parents" })).toEqual({
      singular: "Intended parent",
      plural: "Intended parents",
    });
  });

  it("says Deal and Deals for a pipeline without nouns, or without a pipeline", () => {
    expect(nounsOf({ nounSingular: null, nounPlural: null })).toEqual({ singular: "Deal", plural: "Deals" });
    expect(nounsOf({ nounSingular: " ", nounPlural: "Cases" })).toEqual({ singular: "Deal", plural: "Deals" });
    expect(nounsOf(undefined)).toEqual({ singular: "Deal", plural: "Deals" });
  });

  it("writes a noun in the middle of a sentence in lower case", () => {
    expect(`New ${inSentence(nounsOf({ nounSingular: "Intended parent", nounPlural: "Intended parents" }).singular)}`).toBe(
      "New intended parent",
    );
  });
});
