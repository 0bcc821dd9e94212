import { describe, expect, it } from "vitest";
import { safeNext, signUpSchema } from "./schema";

describe("sign-up input", () => {
  it("normalises the email and requires 8-character passwords", () => {
    const ok = signUpSchema.safeParse({ fullName: " Ada ", orgName: "Acme", email: " Ada@Example.COM ", password: "12345678", template: "sales" });
    expect(ok.success && ok.data).toMatchObject({ fullName: "Ada", email: "ada@example.com" });
    const weak = signUpSchema.safeParse({ fullName: "Ada", orgName: "Acme", email: "ada@example.com", password: "1234567", template: "sales" });
    expect(weak.success).toBe(false);
    expect(weak.error?.issues[0]).toMatchObject({ path: ["password"], message: "Password must be at least 8 characters" });
  });

  it("takes one of the three templates and refuses anything else on its field", () => {
    const base = { fullName: "Ada", orgName: "Acme", email: "ada@example.com", password: "12345678" };
    expect(signUpSchema.safeParse({ ...base, template: "surrogacy" }).data?.template).toBe("surrogacy");
    for (const template of ["dentistry", undefined]) {
      const bad = signUpSchema.safeParse({ ...base, template });
      expect(bad.error?.issues).toEqual([
        expect.objectContaining({ path: ["template"], message: "Choose a template: Sales CRM, Surrogacy agency or Lead generation" }),
      ]);
    }
  });
});

describe("safeNext", () => {
  it("keeps same-origin paths and drops everything else", () => {
    expect(safeNext("/settings/members?x=1")).toBe("/settings/members?x=1");
    expect(safeNext("//evil.test")).toBe("/");
    expect(safeNext("https://evil.test")).toBe("/");
    expect(safeNext("/\\evil.test")).toBe("/");
    expect(safeNext(undefined)).toBe("/");
  });
});
