import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createMember, createUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

describe("sign-up trigger", () => {
  it("creates an org with the new user as owner and a profile", async () => {
    const u = await createUser(t, { orgName: "Acme", fullName: "Ada" });
    const [org] = await t.admin`select name from orgs where id = ${u.orgId}`;
    expect(org.name).toBe("Acme");
    const [m] = await t.admin`select role from org_members where user_id = ${u.id}`;
    expect(m.role).toBe("owner");
    const [p] = await t.admin`select full_name, email from profiles where user_id = ${u.id}`;
    expect(p).toMatchObject({ full_name: "Ada", email: u.email });
  });

  it("joins the inviting org with the invited role", async () => {
    const owner = await createUser(t, { orgName: "Beta" });
    const manager = await createMember(t, owner.orgId, "manager");
    expect(manager.orgId).toBe(owner.orgId);
    const rows = await t.db.asUser(manager.claims, (tx) =>
      tx.selectFrom("org_members").select(["role", "user_id"]).execute(),
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.user_id === manager.id)?.role).toBe("manager");
  });

  it("fails closed when a query runs without a scope", async () => {
    await createUser(t, { orgName: "Gamma" });
    const raw = postgres(t.appUrl, { max: 1, onnotice: () => {} });
    try {
      await expect(raw`select * from public.orgs`).rejects.toThrow(/permission denied/);
      await expect(raw`select * from public.profiles`).rejects.toThrow(/permission denied/);
    } finally {
      await raw.end();
    }
  });
});
