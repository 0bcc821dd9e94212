import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FORM } from "./schema";
import { createForm, deleteForm, updateForm } from "./service";
import { getForm, listForms } from "./queries";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import type { Actor } from "@/lib/auth/actor";

const t = useTestDatabase();
let admin: TestUser;
let member: TestUser;
let other: TestUser;
const actor = (u: TestUser, role: Actor["role"]): Actor => ({ userId: u.id, orgId: u.orgId, role });

beforeAll(async () => {
  admin = await createUser(t, { orgName: "Forms Admin Org" });
  member = await createMember(t, admin.orgId, "member");
  other = await createUser(t, { orgName: "Other Org" });
});

describe("web form settings", () => {
  it("let an admin create, edit and delete a form, and members read it with its counts but not its secret", async () => {
    const { id, key } = await t.db.asUser(admin.claims, (tx) => createForm(tx, actor(admin, "owner"), DEFAULT_FORM));
    expect(key).toMatch(/^wf_[a-f0-9]{24}$/);
    await t.db.asUser(admin.claims, (tx) => updateForm(tx, { id, ...DEFAULT_FORM, name: "Quote request", allowed_origins: ["HTTPS://Shop.Example/"] }));
    const seen = await t.db.asUser(member.claims, (tx) => getForm(tx, id));
    expect(seen).toMatchObject({ name: "Quote request", allowed_origins: ["https://shop.example"], counts: { accepted: 0, spam: 0, rejected: 0 } });
    expect(seen!.fields).toEqual(DEFAULT_FORM.fields);
    expect((await t.db.asUser(member.claims, (tx) => listForms(tx))).map((f) => f.name)).toEqual(["Quote request"]);
    await expect(t.db.asUser(member.claims, (tx) => tx.selectFrom("web_forms").select("secret").execute())).rejects.toMatchObject({ code: "42501" });
    expect(await t.db.asUser(other.claims, (tx) => getForm(tx, id))).toBeNull();
    await t.db.asUser(admin.claims, (tx) => deleteForm(tx, { id }));
    expect(await t.db.asUser(admin.claims, (tx) => listForms(tx))).toEqual([]);
  });

  it("refuse a member's write in the database itself", async () => {
    await expect(t.db.asUser(member.claims, (tx) => createForm(tx, actor(member, "member"), DEFAULT_FORM))).rejects.toMatchObject({ code: "42501" });
  });

  it("name the field at fault in a bad definition and write nothing", async () => {
    const bad = {
      ...DEFAULT_FORM,
      honeypot_field: "email",
      allowed_origins: ["shop.example"],
      fields: [
        { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
        { name: "email", label: "", type: "select", required: false, maps_to: "email" },
      ],
    };
    const error = await t.db.asUser(admin.claims, (tx) => createForm(tx, actor(admin, "owner"), bad)).catch((e) => e);
    expect(error.code).toBe("validation_failed");
    expect(Object.keys(error.details).sort()).toEqual([
      "allowed_origins.0", "fields.1.label", "fields.1.maps_to", "fields.1.name", "fields.1.options", "honeypot_field",
    ]);
    expect(await t.admin`select 1 from web_forms where org_id = ${admin.orgId}`).toHaveLength(0);
  });
});
