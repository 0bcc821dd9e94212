import { describe, expect, it } from "vitest";
import { inSentence, nounsOf, pipelineListWords, pipelineNavEntries } from "./nouns";
import { pipelineNounsSchema } from "./schema";

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

describe("the nouns form", () => {
  const pipelineId = "7f0c6f3e-8a59-4d47-9a1e-0a4cb1c6a2b1";

  it("keeps both names, or both empty for Deal and Deals", () => {
    expect(pipelineNounsSchema.parse({ pipelineId, nounSingular: " Case ", nounPlural: "Cases" })).toEqual({
      pipelineId,
      nounSingular: "Case",
      nounPlural: "Cases",
    });
    expect(pipelineNounsSchema.parse({ pipelineId, nounSingular: "", nounPlural: " " })).toEqual({
      pipelineId,
      nounSingular: null,
      nounPlural: null,
    });
  });

  it("refuses one name without the other on the empty field", () => {
    expect(pipelineNounsSchema.safeParse({ pipelineId, nounSingular: "Case", nounPlural: "" }).error?.issues).toEqual([
      expect.objectContaining({ path: ["nounPlural"], message: "Enter the plural too, e.g. Cases" }),
    ]);
    expect(pipelineNounsSchema.safeParse({ pipelineId, nounSingular: "", nounPlural: "x".repeat(41) }).error?.issues[0]).toMatchObject({
      path: ["nounPlural"],
      message: "At most 40 characters",
    });
  });
});

describe("pipelineNavEntries", () => {
  const p = (id: string, nounSingular: string | null = null, nounPlural: string | null = null) => ({ id, nounSingular, nounPlural });

  it("keeps one Deals entry at /deals for pipelines that all say Deal", () => {
    expect(pipelineNavEntries([p("a"), p("b")])).toEqual([{ label: "Deals", href: "/deals", pipelineIds: ["a", "b"] }]);
    expect(pipelineNavEntries([])).toEqual([{ label: "Deals", href: "/deals", pipelineIds: [] }]);
  });

  it("names a single pipeline's entry by its noun", () => {
    expect(pipelineNavEntries([p("a", "Case", "Cases")])).toEqual([{ label: "Cases", href: "/deals", pipelineIds: ["a"] }]);
  });

  it("gives each distinct noun its entry, opening its first pipeline, in pipeline order", () => {
    expect(pipelineNavEntries([p("c", "Case", "Cases"), p("ip", "Intended parent", "Intended parents"), p("c2", "Case", "Cases"), p("s")])).toEqual([
      { label: "Cases", href: "/deals?pipeline=c", pipelineIds: ["c", "c2"] },
      { label: "Intended parents", href: "/deals?pipeline=ip", pipelineIds: ["ip"] },
      { label: "Deals", href: "/deals?pipeline=s", pipelineIds: ["s"] },
    ]);
  });
});

describe("pipelineListWords", () => {
  const cases = { id: "c", name: "Cases", nounSingular: "Case", nounPlural: "Cases" };
  const parents = { id: "p", name: "Intended parents", nounSingular: "Intended parent", nounPlural: "Intended parents" };
  const sales = { id: "s", name: "Sales", nounSingular: null, nounPlural: null };

  it("calls a list narrowed to one pipeline by that pipeline's noun", () => {
    expect(pipelineListWords([cases, parents], "p")).toEqual({ title: "Intended parents", description: "Every intended parent of the Intended parents pipeline." });
  });

  it("names every noun of an unnarrowed list, and a sales org's deals as before", () => {
    expect(pipelineListWords([cases, parents], undefined).title).toBe("Cases and intended parents");
    expect(pipelineListWords([sales, { ...sales, id: "s2", name: "Renewals" }], undefined)).toEqual({
      title: "Deals",
      description: "Every deal across your pipelines.",
    });
  });
});
