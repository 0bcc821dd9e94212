// Saved views under RLS: private views stay with their owner, shared ones
// reach the team (and only the team), only owners (or owners/admins for
// shared views) change them, and names are unique per owner and list.

import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import type { Session } from "@/lib/auth/session";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import type { ViewState } from "@/modules/crm/lists/state";
import { outcome } from "@/tests/support/outcome";
import * as mutations from "./mutations";
import { listViews } from "./queries";

const t = useTestDatabase();

// Each write as the list's action answers it.
const saveView = (...a: Parameters<typeof mutations.saveView>) => outcome(mutations.saveView(...a));
const saveViewState = (...a: Parameters<typeof mutations.saveViewState>) => outcome(mutations.saveViewState(...a));
const changeView = (...a: Parameters<typeof mutations.changeView>) => outcome(mutations.changeView(...a));
const removeView = (...a: Parameters<typeof mutations.removeView>) => outcome(mutations.removeView(...a));

function session(u: TestUser, role: Role): Session {
  return { claims: u.claims, user: { id: u.id, email: u.email, name: u.email, timeZone: null }, org: { id: u.orgId, name: "Org" }, role };
}

const state: ViewState = {
  q: "acme",
  filters: [{ field: "owner", op: "eq", value: "me" }],
  sort: { field: "name", dir: "asc" },
  columns: ["name", "email"],
};

let owner: Session;
let alice: Session;
let bob: Session;
let stranger: Session;

beforeAll(async () => {
  const o = await createUser(t, { orgName: "Acme", fullName: "Olive Owner" });
  owner = session(o, "owner");
  alice = session(await createMember(t, o.orgId, "member"), "member");
  bob = session(await createMember(t, o.orgId, "member"), "member");
  stranger = session(await createUser(t, { orgName: "Other" }), "owner");
});

async function save(s: Session, name: string, shared = false, objectType = "person") {
  const r = await saveView(s, { objectType, name, shared, state });
  if (!r.ok) throw new Error(r.error);
  return r.data.id;
}

const names = async (s: Session, objectType: "person" | "company" = "person") =>
  (await listViews(s, objectType)).map((v) => v.name);

describe("visibility", () => {
  it("keeps private views with their owner and shows shared ones to the org only", async () => {
    await save(alice, "Alice private");
    await save(alice, "Alice shared", true);
    await save(bob, "Bob private");
    await save(stranger, "Other org shared", true);

    expect(await names(alice)).toEqual(["Alice private", "Alice shared"]);
    expect(await names(bob)).toEqual(["Alice shared", "Bob private"]);
    expect(await names(owner)).toEqual(["Alice shared"]);
    expect(await names(stranger)).toEqual(["Other org shared"]);

    const rows = await t.db.asUser(stranger.claims, (tx) => tx.selectFrom("saved_views").select("name").execute());
    expect(rows.map((r) => r.name)).toEqual(["Other org shared"]);
  });

  it("lists each object's views separately and round-trips the state", async () => {
    await save(alice, "Companies in CA", false, "company");
    const [view] = await listViews(alice, "company");
    expect(view).toMatchObject({ name: "Companies in CA", objectType: "company", mine: true, editable: true, shared: false, state });
    expect(await names(alice)).not.toContain("Companies in CA");
  });

  it("says who may change a shared view", async () => {
    const byBob = (await listViews(bob, "person")).find((v) => v.name === "Alice shared")!;
    expect(byBob).toMatchObject({ mine: false, editable: false });
    const byOwner = (await listViews(owner, "person")).find((v) => v.name === "Alice shared")!;
    expect(byOwner).toMatchObject({ mine: false, editable: true });
  });
});

describe("changes", () => {
  it("lets only the owner change a private or shared view; owners and admins may change shared ones", async () => {
    const id = await save(alice, "Pipeline review", true);
    const mine = await save(alice, "Just mine");
    const next: ViewState = { ...state, q: "globex" };

    expect(await saveViewState(bob, { id, state: next })).toMatchObject({ ok: false, code: "not_found", error: expect.stringContaining("no longer exists") });
    expect(await changeView(bob, { id, name: "Hijacked" })).toMatchObject({ ok: false });
    expect(await removeView(bob, { id })).toMatchObject({ ok: false });
    expect(await removeView(owner, { id: mine })).toMatchObject({ ok: false });
    expect(await removeView(stranger, { id })).toMatchObject({ ok: false });

    expect(await saveViewState(alice, { id, state: next })).toEqual({ ok: true, data: undefined });
    expect(await changeView(owner, { id, name: "Weekly review", shared: true })).toEqual({ ok: true, data: undefined });
    const seen = (await listViews(bob, "person")).find((v) => v.id === id)!;
    expect(seen).toMatchObject({ name: "Weekly review", state: next });

    expect(await changeView(alice, { id, name: "Weekly review", shared: false })).toMatchObject({ ok: true });
    expect((await listViews(bob, "person")).some((v) => v.id === id)).toBe(false);
    expect(await removeView(alice, { id })).toMatchObject({ ok: true });
    expect((await listViews(alice, "person")).some((v) => v.id === id)).toBe(false);
  });

  it("takes the org from the session, never from input", async () => {
    const r = await saveView(alice, { objectType: "person", name: "Sneaky", state, org_id: stranger.org.id, orgId: stranger.org.id });
    expect(r.ok).toBe(true);
    const [row] = await t.admin`select org_id, owner_id from saved_views where name = 'Sneaky'`;
    expect(row).toEqual({ org_id: alice.org.id, owner_id: alice.user.id });
  });

  it("refuses a session that claims another org", async () => {
    const forged = { ...alice, org: stranger.org };
    const r = await saveView(forged, { objectType: "person", name: "Forged", state });
    expect(r).toMatchObject({ ok: false, code: "forbidden" });
    const rows = await t.admin`select 1 from saved_views where name = 'Forged'`;
    expect(rows).toHaveLength(0);
  });
});

describe("validation", () => {
  it("needs a name, unique per owner and list", async () => {
    expect(await saveView(alice, { objectType: "person", name: "  ", state })).toMatchObject({
      ok: false,
      fieldErrors: { name: "Enter a name for the view" },
    });
    await save(alice, "Hot leads");
    expect(await saveView(alice, { objectType: "person", name: "Hot leads", state })).toMatchObject({
      ok: false,
      fieldErrors: { name: 'You already have a view named "Hot leads" for this list.' },
    });
    // Another member, or another list, may use the same name.
    expect((await saveView(bob, { objectType: "person", name: "Hot leads", state })).ok).toBe(true);
    expect((await saveView(alice, { objectType: "deal", name: "Hot leads", state })).ok).toBe(true);

    const other = await save(alice, "Cold leads");
    expect(await changeView(alice, { id: other, name: "Hot leads" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: 'You already have a view named "Hot leads" for this list.',
    });
  });

  it("rejects unknown lists and malformed state", async () => {
    expect(await saveView(alice, { objectType: "invoice", name: "X", state })).toMatchObject({ ok: false, fieldErrors: { objectType: "Unknown list" } });
    const bad = await saveView(alice, { objectType: "person", name: "X", state: { filters: [{ field: "a;b", op: "eq", value: "1" }], sort: state.sort } });
    expect(bad.ok).toBe(false);
    expect(await saveViewState(alice, { id: "nope", state })).toMatchObject({ ok: false, fieldErrors: { id: "Not a valid view" } });
  });
});
