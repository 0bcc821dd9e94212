import { describe, expect, it } from "vitest";
import { describeProblems, problemsOf, render, variablesIn } from "./engine";

describe("variablesIn", () => {
  it("reads names and fallbacks, spaces around them ignored", () => {
    expect(variablesIn("Hi {{ first_name | there }}, {{company}} and {{deal_name|}}")).toEqual([
      { name: "first_name", fallback: "there" },
      { name: "company", fallback: null },
      { name: "deal_name", fallback: "" },
    ]);
  });
});

describe("problemsOf", () => {
  it("passes text whose variables are all known", () => {
    expect(problemsOf("Hi {{first_name|there}}, this is {{my_first_name}} from {{org_name}}")).toBeNull();
    expect(problemsOf("No variables at all")).toBeNull();
  });

  it("names each unknown variable once, as typed", () => {
    const problems = problemsOf("Hi {{firstname}}, {{ Company }} and {{firstname}} {{email}}");
    expect(problems).toEqual({ unknown: ["firstname", "Company"], unbalanced: false });
    expect(describeProblems(problems!, "The subject")).toBe("The subject uses unknown variables: {{firstname}}, {{Company}}. Use one of the listed variables.");
  });

  it("finds a brace that opens or closes no variable", () => {
    expect(problemsOf("Hi {{first_name")).toEqual({ unknown: [], unbalanced: true });
    expect(problemsOf("Hi first_name}}")).toEqual({ unknown: [], unbalanced: true });
    expect(describeProblems(problemsOf("Hi {{first_name")!, "The message")).toMatch(/The message has a \{\{ or \}\} that is not part of a variable/);
  });
});

describe("render", () => {
  it("fills values, else fallbacks, and reports the rest as missing with their tokens left", () => {
    const r = render("Hi {{first_name|there}}, {{company}} / {{deal_name|your project}} / {{company|}}.", { first_name: "Ada", company: " " });
    expect(r).toEqual({ text: "Hi Ada, {{company}} / your project / .", missing: ["company"] });
  });

  it("uses the fallback for a blank value", () => {
    expect(render("Hi {{first_name|there}}", { first_name: "   " }).text).toBe("Hi there");
  });

  it("escapes values in HTML and leaves them as they are in text", () => {
    const values = { company: "Smith & <Sons>" };
    expect(render("<p>{{company}}</p>", values, { html: true }).text).toBe("<p>Smith &amp; &lt;Sons&gt;</p>");
    expect(render("{{company}}", values).text).toBe("Smith & <Sons>");
  });

  it("leaves unknown names alone for problemsOf to refuse", () => {
    expect(render("{{nope}}", {})).toEqual({ text: "{{nope}}", missing: [] });
  });
});
