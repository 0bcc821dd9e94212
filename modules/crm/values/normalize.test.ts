import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  normalizeDomain,
  normalizeEmail,
  normalizeLinkedIn,
  normalizePhone,
  normalizeTags,
  normalizeUrl,
  normalizeUsState,
  parseMoneyToMinor,
  takeNormalized,
  US_STATE_OPTIONS,
  zCurrency,
  zEmail,
  zLinkedIn,
  zMoneyMinor,
  zPhone,
  zTags,
  zUrl,
  zUsState,
} from "./normalize";

const value = <T>(v: T) => ({ ok: true, value: v });
const error = (message: string | RegExp) => ({
  ok: false,
  message: typeof message === "string" ? message : expect.stringMatching(message),
});

describe("normalizeEmail", () => {
  it("trims and lower-cases valid addresses", () => {
    expect(normalizeEmail("  Ada.Lovelace+crm@Example.CO.uk ")).toEqual(value("ada.lovelace+crm@example.co.uk"));
    expect(normalizeEmail("o'brien@example.ie")).toEqual(value("o'brien@example.ie"));
    expect(normalizeEmail("x@xn--bcher-kva.example")).toEqual(value("x@xn--bcher-kva.example"));
  });

  it("takes the address out of a pasted mail-client form or mailto link", () => {
    expect(normalizeEmail("Ada Lovelace <Ada@Example.com>")).toEqual(value("ada@example.com"));
    expect(normalizeEmail("mailto:ada@example.com")).toEqual(value("ada@example.com"));
  });

  it("treats blank as cleared", () => {
    expect(normalizeEmail("")).toEqual(value(null));
    expect(normalizeEmail("   ")).toEqual(value(null));
  });

  it.each([
    "ada",
    "ada@",
    "@example.com",
    "ada@example",
    "ada@@example.com",
    "ada @example.com",
    ".ada@example.com",
    "ada.@example.com",
    "ada..l@example.com",
    "ada@-example.com",
    "ada@example..com",
    "ada@example.c",
    "ada@exam_ple.com",
    "ada,b@example.com",
    `${"a".repeat(65)}@example.com`,
    `a@${"b".repeat(250)}.com`,
  ])("rejects %s", (input) => {
    expect(normalizeEmail(input)).toEqual(error("Enter a valid email address, e.g. name@example.com"));
  });
});

describe("normalizePhone", () => {
  it("stores numbers as E.164, reading national numbers as the default country's", () => {
    expect(normalizePhone("(415) 555-2671")).toEqual(value("+14155552671"));
    expect(normalizePhone("415.555.2671")).toEqual(value("+14155552671"));
    expect(normalizePhone("+1 415 555 0100")).toEqual(value("+14155550100"));
    expect(normalizePhone("+44 20 7946 0958")).toEqual(value("+442079460958"));
    expect(normalizePhone("020 7946 0958", "GB")).toEqual(value("+442079460958"));
    expect(normalizePhone("00 49 30 901820", "DE")).toEqual(value("+4930901820"));
  });

  it("treats blank as cleared", () => {
    expect(normalizePhone(" ")).toEqual(value(null));
  });

  it.each(["123", "+1 111 111 1111", "+1 415 555 26711", "phone", "+1 800 FLOWERS", "+999 1234567"])(
    "rejects %s with an example of a valid number",
    (input) => {
      expect(normalizePhone(input)).toEqual(error("Enter a valid phone number, e.g. +1 415 555 0100"));
    },
  );

  it("refuses extensions rather than dropping them", () => {
    expect(normalizePhone("415 555 0100 ext. 12")).toEqual(error(/extension/));
  });
});

describe("normalizeUsState", () => {
  it("accepts codes in any case and full names, including DC and the territories", () => {
    expect(normalizeUsState("ca")).toEqual(value("CA"));
    expect(normalizeUsState(" California ")).toEqual(value("CA"));
    expect(normalizeUsState("new  york")).toEqual(value("NY"));
    expect(normalizeUsState("District of Columbia")).toEqual(value("DC"));
    expect(normalizeUsState("D.C.")).toEqual(value("DC"));
    expect(normalizeUsState("Washington DC")).toEqual(value("DC"));
    expect(normalizeUsState("Puerto Rico")).toEqual(value("PR"));
    expect(normalizeUsState("gu")).toEqual(value("GU"));
    expect(normalizeUsState("US Virgin Islands")).toEqual(value("VI"));
    expect(normalizeUsState("American Samoa")).toEqual(value("AS"));
    expect(normalizeUsState("Northern Mariana Islands")).toEqual(value("MP"));
  });

  it("knows all 50 states plus DC and five territories", () => {
    expect(US_STATE_OPTIONS).toHaveLength(56);
    for (const { code, name } of US_STATE_OPTIONS) {
      expect(normalizeUsState(name)).toEqual(value(code));
      expect(normalizeUsState(code.toLowerCase())).toEqual(value(code));
    }
  });

  it("requires a US state when the country is blank or the United States", () => {
    for (const country of [undefined, null, "", "US", "usa", "U.S.A.", "United States", "united states of america"]) {
      expect(normalizeUsState("Texas", country)).toEqual(value("TX"));
      expect(normalizeUsState("Ontario", country)).toEqual(
        error("Enter a US state as a 2-letter code or full name, e.g. CA or California"),
      );
    }
    expect(normalizeUsState("XX")).toEqual(error(/US state/));
  });

  it("keeps other countries' regions as trimmed text", () => {
    expect(normalizeUsState(" Ontario ", "Canada")).toEqual(value("Ontario"));
    expect(normalizeUsState("Bavaria", "DE")).toEqual(value("Bavaria"));
    expect(normalizeUsState(" ", "Canada")).toEqual(value(null));
  });
});

describe("normalizeUrl", () => {
  it("adds https:// when the scheme is missing and keeps http and https", () => {
    expect(normalizeUrl("example.com")).toEqual(value("https://example.com"));
    expect(normalizeUrl("Example.COM/About?x=1#team")).toEqual(value("https://example.com/About?x=1#team"));
    expect(normalizeUrl("http://example.com/")).toEqual(value("http://example.com"));
    expect(normalizeUrl("https://shop.example.co.uk:8443/a b")).toEqual(value("https://shop.example.co.uk:8443/a%20b"));
    expect(normalizeUrl("example.com:8080/x")).toEqual(value("https://example.com:8080/x"));
    expect(normalizeUrl("//example.com/x")).toEqual(value("https://example.com/x"));
    expect(normalizeUrl("bücher.example")).toEqual(value("https://xn--bcher-kva.example"));
    expect(normalizeUrl("")).toEqual(value(null));
  });

  it("refuses other schemes", () => {
    for (const input of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "ftp://example.com", "mailto:a@example.com", "data:text/html,x"]) {
      expect(normalizeUrl(input)).toEqual(error("Only http and https links are allowed"));
    }
  });

  it("refuses addresses that aren't a public website", () => {
    for (const input of ["not a url", "https://intranet", "http://127.0.0.1", "https://exa mple.com", "https://", "example"]) {
      expect(normalizeUrl(input)).toEqual(error("Enter a valid web address, e.g. https://example.com"));
    }
    expect(normalizeUrl("https://user:pass@example.com")).toEqual(error(/user name or password/));
  });
});

describe("normalizeDomain", () => {
  it("takes the host out of URLs and bare domains, without www", () => {
    expect(normalizeDomain("https://www.Example.com/about")).toEqual(value("example.com"));
    expect(normalizeDomain("www.example.co.uk")).toEqual(value("example.co.uk"));
    expect(normalizeDomain("Sub.Example.com")).toEqual(value("sub.example.com"));
    expect(normalizeDomain("")).toEqual(value(null));
  });

  it("rejects what is not a domain", () => {
    expect(normalizeDomain("localhost")).toEqual(error("Enter a valid domain, e.g. example.com"));
    expect(normalizeDomain("javascript:alert(1)")).toEqual(error("Enter a valid domain, e.g. example.com"));
  });
});

describe("normalizeLinkedIn", () => {
  it("canonicalises profile and company URLs", () => {
    const ada = "https://www.linkedin.com/in/ada-lovelace";
    for (const input of [
      "linkedin.com/in/ada-lovelace",
      "www.linkedin.com/in/Ada-Lovelace/",
      "https://www.linkedin.com/in/ada-lovelace?trk=public_profile",
      "http://uk.linkedin.com/in/ada-lovelace/details/experience/",
      "HTTPS://LINKEDIN.COM/IN/ADA-LOVELACE",
    ]) {
      expect(normalizeLinkedIn(input)).toEqual(value(ada));
    }
    expect(normalizeLinkedIn("https://www.linkedin.com/company/acme-inc/about/")).toEqual(
      value("https://www.linkedin.com/company/acme-inc"),
    );
    expect(normalizeLinkedIn("linkedin.com/in/jos%C3%A9-garc%C3%ADa")).toEqual(
      value("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa"),
    );
    expect(normalizeLinkedIn("linkedin.com/in/José-García")).toEqual(
      value("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa"),
    );
    expect(normalizeLinkedIn("")).toEqual(value(null));
  });

  it("rejects other sites and pages", () => {
    for (const input of [
      "ada-lovelace",
      "https://example.com/in/ada",
      "https://linkedin.com.evil.test/in/ada",
      "https://www.linkedin.com/feed/",
      "linkedin.com/in/",
      "linkedin.com/in/<script>",
      "javascript:alert(1)//linkedin.com/in/ada",
    ]) {
      expect(normalizeLinkedIn(input)).toEqual(error(/LinkedIn profile or company URL/));
    }
  });
});

describe("normalizeTags", () => {
  it("splits, trims, collapses spaces and drops case-insensitive duplicates, keeping the first spelling", () => {
    expect(normalizeTags(" VIP, new   lead ,vip,, Partner ")).toEqual(value(["VIP", "new lead", "Partner"]));
    expect(normalizeTags(["VIP", "a, b", " ", "New Lead", "new lead"])).toEqual(value(["VIP", "a", "b", "New Lead"]));
    expect(normalizeTags("")).toEqual(value([]));
    expect(normalizeTags([])).toEqual(value([]));
  });

  it("limits tag length and count", () => {
    expect(normalizeTags("x".repeat(50))).toEqual(value(["x".repeat(50)]));
    expect(normalizeTags(`ok, ${"x".repeat(51)}`)).toEqual(error(/longer than 50 characters/));
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    expect(normalizeTags(fifty)).toEqual(value(fifty));
    expect(normalizeTags([...fifty, "t50"])).toEqual(error("A record can have at most 50 tags"));
    expect(normalizeTags([...fifty, "T0"])).toEqual(value(fifty));
  });
});

describe("zod helpers", () => {
  const person = z.object({
    email: zEmail(),
    phone: zPhone(),
    state: zUsState(),
    website: zUrl(),
    linkedin: zLinkedIn(),
    tags: zTags(),
    currency: zCurrency(),
    value: zMoneyMinor("USD"),
  });

  it("normalises values and turns blanks into null", () => {
    const parsed = person.parse({
      email: " Ada@Example.com ",
      phone: "(415) 555-2671",
      state: "california",
      website: "example.com",
      linkedin: "linkedin.com/in/ada",
      tags: "a, b, A",
      currency: "eur",
      value: "1,000.50",
    });
    expect(parsed).toEqual({
      email: "ada@example.com",
      phone: "+14155552671",
      state: "CA",
      website: "https://example.com",
      linkedin: "https://www.linkedin.com/in/ada",
      tags: ["a", "b"],
      currency: "EUR",
      value: 100050,
    });
    expect(person.parse({ email: "", phone: null, state: " ", tags: "", value: "" })).toEqual({
      email: null,
      phone: null,
      state: null,
      tags: [],
      value: null,
    });
  });

  it("leaves absent fields absent so partial updates don't clear them", () => {
    expect(person.parse({})).toEqual({});
    expect(person.partial().parse({ email: "a@example.com" })).toEqual({ email: "a@example.com" });
  });

  it("reports each normaliser's message on its own field", () => {
    const result = person.safeParse({ email: "nope", phone: "123", state: "Ontario", tags: ["x".repeat(60)], value: "12.345" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["email", "Enter a valid email address, e.g. name@example.com"],
      ["phone", "Enter a valid phone number, e.g. +1 415 555 0100"],
      ["state", "Enter a US state as a 2-letter code or full name, e.g. CA or California"],
      ["tags", expect.stringMatching(/longer than 50 characters/)],
      ["value", "USD amounts have at most 2 decimal places"],
    ]);
  });

  it("rejects values of the wrong type", () => {
    expect(person.safeParse({ email: 42 }).error?.issues[0]).toMatchObject({ path: ["email"], message: "Must be text" });
    expect(person.safeParse({ value: true }).error?.issues[0]).toMatchObject({ path: ["value"] });
  });
});

describe("takeNormalized", () => {
  const address = z
    .object({ state: z.string().nullish(), country: z.string().nullish() })
    .transform((v, ctx) => ({
      ...v,
      state: v.state == null ? v.state : takeNormalized(ctx, ["state"], normalizeUsState(v.state, v.country)),
    }));
  const deal = z
    .object({ value: z.string(), currency: zCurrency() })
    .transform((v, ctx) => ({
      currency: v.currency ?? "USD",
      valueMinor: takeNormalized(ctx, ["value"], parseMoneyToMinor(v.value, v.currency ?? "USD")),
    }));

  it("checks a field against its sibling", () => {
    expect(address.parse({ state: "texas", country: "US" })).toEqual({ state: "TX", country: "US" });
    expect(address.parse({ state: "Ontario", country: "Canada" })).toEqual({ state: "Ontario", country: "Canada" });
    expect(deal.parse({ value: "1,500", currency: "jpy" })).toEqual({ currency: "JPY", valueMinor: 1500 });
    expect(deal.parse({ value: "1,500" })).toEqual({ currency: "USD", valueMinor: 150000 });
  });

  it("reports the failure on the named field", () => {
    expect(address.safeParse({ state: "Ontario", country: "USA" }).error?.issues).toMatchObject([
      { path: ["state"], message: "Enter a US state as a 2-letter code or full name, e.g. CA or California" },
    ]);
    expect(deal.safeParse({ value: "12.5", currency: "JPY" }).error?.issues).toMatchObject([
      { path: ["value"], message: "JPY amounts have no decimal places" },
    ]);
    // The object transform doesn't run on fields that already failed, so an unknown currency never reaches Intl.
    expect(deal.safeParse({ value: "1", currency: "ABC" }).error?.issues).toMatchObject([
      { path: ["currency"], message: "Enter a 3-letter ISO currency code, e.g. USD" },
    ]);
  });
});
