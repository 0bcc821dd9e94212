import { describe, expect, it } from "vitest";
import { safeNext, signUpSchema } from "./schema";

describe("sign-up input", () => {
  it("normalises the email and requires 8-character passwords", () => {
    const ok = signUpSchema.safeParse({ fullName: " Ada ", orgName: "Acme", email: " Ada@Example.COM ", password: "12345678" });
    expect(ok.success && ok.data).toMatchObject({ fullName: "Ada", email: "ada@example.com" });
    const weak = signUpSchema.safeParse({ fullName: "Ada", orgName: "Acme", email: "ada@example.com", password: "1234567" });
    expect(weak.success).toBe(false);
    expect(weak.error?.issues[0]).toMatchObject({ path: ["password"], message: "Password must be at least 8 characters" });
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
