import { describe, expect, it } from "vitest";
import { matchParts } from "./highlight";

const marked = (parts: { text: string; mark: boolean }[]) => parts.map((p) => (p.mark ? `[${p.text}]` : p.text)).join("");

describe("matchParts", () => {
  it("marks the start of each word a typed word begins, whatever its case", () => {
    expect(marked(matchParts("Hana.Schmidt@QuinceMail.example", "quince hana", "email"))).toBe("[Hana].Schmidt@[Quince]Mail.example");
    expect(marked(matchParts("Foxglove Family Law", "fam", "company"))).toBe("Foxglove [Fam]ily Law");
  });

  it("splits words as the search does: runs of letters and runs of digits", () => {
    expect(marked(matchParts("jsmith2@acme.io", "2 acme", "email"))).toBe("jsmith[2]@[acme].io");
    expect(marked(matchParts("globex.com", "globex.com", "domain"))).toBe("[globex].[com]");
  });

  it("prefers the longer of two typed words that start the same word", () => {
    expect(marked(matchParts("quincemail.example", "qu quincem", "email"))).toBe("[quincem]ail.example");
  });

  it("leaves look-alikes and words typed in the middle of a word unmarked", () => {
    expect(marked(matchParts("john@acme.io", "acmme", "email"))).toBe("john@acme.io");
    expect(marked(matchParts("john@acme.io", "cme", "email"))).toBe("john@acme.io");
  });

  it("marks a phone number's typed digits, however they were typed", () => {
    expect(marked(matchParts("+14155550188", "(415) 555-0188", "phone"))).toBe("+1[4155550188]");
    expect(marked(matchParts("+14155550188", "999", "phone"))).toBe("+14155550188");
  });
});
