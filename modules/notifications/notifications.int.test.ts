import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { sql } from "@/lib/db";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { outcome } from "@/tests/support/outcome";
import { listNotifications, notificationPreferences, notificationSummary, unreadCount } from "./queries";
import * as service from "./service";
import { NOTIFICATION_TYPE_KEYS } from "./types";

const t = useTestDatabase();

const actor = (u: TestUser, role: Actor["role"] = "owner"): Actor => ({ userId: u.id, orgId: u.orgId, role });

/** Calls the SQL entry point as jobs and trigger functions do (service_role). */
async function notify(
  u: TestUser,
  opts: { type?: string; title?: string; body?: string | null; link?: string | null; key?: string } = {},
): Promise<number | null> {
  const { rows } = await t.db.asService((tx) =>
    sql<{ id: string | null }>`select private.notify_user(${u.orgId}, ${u.id}, ${opts.type ?? "lead_assigned"},
      ${opts.title ?? "Lead assigned to you"}, ${opts.body ?? null}, ${opts.link ?? "/people"},
      ${opts.key ?? crypto.randomUUID()}) as id`.execute(tx),
  );
  return rows[0].id === null ? null : Number(rows[0].id);
}

const titlesOf = (u: TestUser) => t.db.asUser(u.claims, async (tx) => (await listNotifications(tx)).items.map((n) => n.title));

describe("the registry", () => {
  it("lists the same types as the database", async () => {
    const [row] = await t.admin`select private.notification_types() as types`;
    expect([...row.types].sort()).toEqual([...NOTIFICATION_TYPE_KEYS].sort());
  });
});

describe("private.notify_user", () => {
  it("notifies a member once per dedupe key", async () => {
    const owner = await createUser(t);
    const first = await notify(owner, { key: "lead:1:owner:a", title: "Ada Lovelace is yours" });
    const again = await notify(owner, { key: "lead:1:owner:a", title: "Ada Lovelace is yours" });
    expect(first).toEqual(expect.any(Number));
    expect(again).toBeNull();
    expect(await titlesOf(owner)).toEqual(["Ada Lovelace is yours"]);
  });

  it("makes nothing for a type the member turned off, and again once it is back on", async () => {
    const owner = await createUser(t);
    await t.db.asUser(owner.claims, (tx) => service.setPreference(tx, actor(owner), { type: "lead_assigned", inApp: false }));
    expect(await notify(owner, { type: "lead_assigned", key: "off" })).toBeNull();
    expect(await notify(owner, { type: "integration_alert", key: "other type", title: "Meta page token expired" })).not.toBeNull();
    expect(await titlesOf(owner)).toEqual(["Meta page token expired"]);

    await t.db.asUser(owner.claims, (tx) => service.setPreference(tx, actor(owner), { type: "lead_assigned", inApp: true }));
    expect(await notify(owner, { type: "lead_assigned", key: "on again" })).not.toBeNull();
    const prefs = await t.db.asUser(owner.claims, (tx) => notificationPreferences(tx));
    // Every type on again, whichever other types the registry lists.
    expect(prefs).toEqual(Object.fromEntries(NOTIFICATION_TYPE_KEYS.map((k) => [k, true])));
  });

  it("makes nothing for someone outside the org", async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const [row] = await t.admin`select private.notify_user(${a.orgId}, ${b.id}, 'lead_assigned', 'x', null, null, 'k') as id`;
    expect(row.id).toBeNull();
    expect(await t.admin`select 1 from notifications where user_id = ${b.id}`).toHaveLength(0);
  });

  it("refuses an unknown type and a link to another site", async () => {
    const owner = await createUser(t);
    await expect(notify(owner, { type: "made_up" })).rejects.toThrow(/Unknown notification type: made_up/);
    await expect(notify(owner, { link: "//evil.example/people" })).rejects.toThrow(/notifications_link_check/);
    await expect(notify(owner, { link: "https://evil.example/" })).rejects.toThrow(/notifications_link_check/);
  });

  it("cannot be called by a signed-in member", async () => {
    const owner = await createUser(t);
    await expect(
      t.db.asUser(owner.claims, (tx) =>
        sql`select private.notify_user(${owner.orgId}, ${owner.id}, 'lead_assigned', 'x', null, null, 'k')`.execute(tx),
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe("reading and marking", () => {
  it("shows a member only their own notifications, even in the same org", async () => {
    const owner = await createUser(t);
    const colleague = await createMember(t, owner.orgId, "member");
    const stranger = await createUser(t);
    const mine = await notify(owner, { title: "For the owner" });
    await notify(colleague, { title: "For the colleague" });

    expect(await titlesOf(owner)).toEqual(["For the owner"]);
    expect(await titlesOf(colleague)).toEqual(["For the colleague"]);
    expect(await titlesOf(stranger)).toEqual([]);

    // Marking someone else's notification, by id, changes nothing.
    const marked = await t.db.asUser(colleague.claims, (tx) => service.markRead(tx, { ids: [mine] }));
    expect(marked).toBe(0);
    const [row] = await t.admin`select read_at from notifications where id = ${mine!}`;
    expect(row.read_at).toBeNull();
    // Nor can a member write one, or change anything but read_at.
    await expect(
      t.db.asUser(colleague.claims, (tx) =>
        sql`insert into notifications (org_id, user_id, type, title, dedupe_key)
            values (${owner.orgId}, ${owner.id}, 'lead_assigned', 'Phish', 'p')`.execute(tx),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      t.db.asUser(owner.claims, (tx) => sql`update notifications set title = 'changed' where id = ${mine}`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
  });

  it("marks one read, then all read, and filters unread", async () => {
    const owner = await createUser(t);
    const ids: (number | null)[] = [];
    for (const title of ["One", "Two", "Three"]) ids.push(await notify(owner, { title }));
    await t.db.asUser(owner.claims, async (tx) => {
      expect(await unreadCount(tx)).toBe(3);
      expect(await service.markRead(tx, { ids: [ids[1]] })).toBe(1);
      expect(await unreadCount(tx)).toBe(2);
      const unread = await listNotifications(tx, { filter: "unread" });
      expect(unread.items.map((n) => n.title)).toEqual(["Three", "One"]);
      const summary = await notificationSummary(tx);
      expect(summary.unread).toBe(2);
      expect(summary.latest.map((n) => [n.title, n.read])).toEqual([["Three", false], ["Two", true], ["One", false]]);
      expect(await service.markAllRead(tx)).toBe(2);
      expect(await unreadCount(tx)).toBe(0);
    });
  });

  it("pages from the newest", async () => {
    const owner = await createUser(t);
    for (let i = 1; i <= 5; i++) await notify(owner, { title: `N${i}` });
    await t.db.asUser(owner.claims, async (tx) => {
      const first = await listNotifications(tx, { limit: 2 });
      expect(first.items.map((n) => n.title)).toEqual(["N5", "N4"]);
      expect(first.hasMore).toBe(true);
      const last = await listNotifications(tx, { limit: 2, before: first.items[1].id });
      expect(last.items.map((n) => n.title)).toEqual(["N3", "N2"]);
    });
  });

  it("refuses bad input with the field named", async () => {
    const owner = await createUser(t);
    const r = await outcome(t.db.asUser(owner.claims, (tx) => service.markRead(tx, { ids: [] })));
    expect(r).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { ids: "Pick a notification" } });
    const p = await outcome(
      t.db.asUser(owner.claims, (tx) => service.setPreference(tx, actor(owner), { type: "nope", inApp: true })),
    );
    expect(p).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { type: "Unknown notification type" } });
  });
});
