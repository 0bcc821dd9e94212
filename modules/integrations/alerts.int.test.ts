import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { sql } from "@/lib/db";
import { listNotifications } from "@/modules/notifications";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { outcome } from "@/tests/support/outcome";
import { integrationOverview, listAlerts, openAlertCount } from "./queries";
import * as service from "./service";

const t = useTestDatabase();

/** Raises through the SQL entry point, as jobs and adapters do (service_role). */
async function raise(u: TestUser, fingerprint: string, opts: { title?: string; severity?: string; account?: string } = {}) {
  const { rows } = await t.db.asService((tx) =>
    sql<{ id: string }>`select private.raise_alert(${u.orgId}, 'meta', ${opts.account ?? "1234"}, ${fingerprint},
      ${opts.severity ?? "warning"}, ${opts.title ?? "Meta page token expires in 3 days"}, 'Reconnect the page') as id`.execute(tx),
  );
  return Number(rows[0].id);
}

const alertsOf = (u: TestUser, view: "active" | "snoozed" | "resolved" = "active") =>
  t.db.asUser(u.claims, (tx) => listAlerts(tx, view));
const as = <T>(u: TestUser, fn: Parameters<typeof t.db.asUser<T>>[1]) => outcome(t.db.asUser(u.claims, fn));
const bell = (u: TestUser) => t.db.asUser(u.claims, async (tx) => (await listNotifications(tx)).items);

async function team() {
  const owner = await createUser(t);
  const admin = await createMember(t, owner.orgId, "admin");
  const manager = await createMember(t, owner.orgId, "manager");
  const member = await createMember(t, owner.orgId, "member");
  return { owner, admin, manager, member };
}

describe("raising alerts", () => {
  it("counts a repeated fingerprint on the open alert instead of opening another", async () => {
    const { owner } = await team();
    const first = await raise(owner, "meta:token_expiring:1234");
    const again = await raise(owner, "meta:token_expiring:1234", { severity: "critical", title: "Meta page token expires tomorrow" });
    expect(again).toBe(first);
    const [alert] = await alertsOf(owner);
    expect(alert).toMatchObject({ id: first, count: 2, severity: "critical", title: "Meta page token expires tomorrow", status: "open" });
    expect(new Date(alert.last_seen) >= new Date(alert.first_seen)).toBe(true);
    const other = await raise(owner, "meta:token_expiring:5678");
    expect(other).not.toBe(first);
    expect(await alertsOf(owner)).toHaveLength(2);
  });

  it("keeps fingerprints apart per org", async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    expect(await raise(a, "same")).not.toBe(await raise(b, "same"));
    expect((await alertsOf(a)).map((x) => x.count)).toEqual([1]);
  });

  it("notifies owners and admins once per alert, not managers or members", async () => {
    const { owner, admin, manager, member } = await team();
    const id = await raise(owner, "meta:token_expired:1234", { title: "Meta page token expired" });
    await raise(owner, "meta:token_expired:1234", { title: "Meta page token expired" });
    for (const u of [owner, admin]) {
      expect((await bell(u)).map((n) => [n.type, n.title, n.link])).toEqual([
        ["integration_alert", "Meta page token expired", `/settings/integrations#alert-${id}`],
      ]);
    }
    expect(await bell(manager)).toEqual([]);
    expect(await bell(member)).toEqual([]);
  });

  it("opens a new alert, and notifies again, when a resolved problem comes back", async () => {
    const { owner } = await team();
    const first = await raise(owner, "jobs:dead:meta.fetch_lead");
    await as(owner, (tx) => service.resolveAlert(tx, { id: first }));
    expect(await alertsOf(owner)).toEqual([]);
    const second = await raise(owner, "jobs:dead:meta.fetch_lead");
    expect(second).not.toBe(first);
    expect((await alertsOf(owner)).map((a) => [a.id, a.count])).toEqual([[second, 1]]);
    expect((await alertsOf(owner, "resolved")).map((a) => a.id)).toEqual([first]);
    expect(await bell(owner)).toHaveLength(2);
    // A resolved alert stays resolved.
    await expect(
      t.db.asUser(owner.claims, (tx) => sql`update integration_alerts set status = 'open' where id = ${first}`.execute(tx)),
    ).rejects.toThrow(/resolved/);
  });
});

describe("acting on alerts", () => {
  it("acknowledges: off the badge, still listed, with who and when", async () => {
    const { owner, admin } = await team();
    const id = await raise(owner, "webhooks:failing");
    await t.db.asUser(owner.claims, async (tx) => expect(await openAlertCount(tx)).toBe(1));
    expect(await as(admin, (tx) => service.acknowledgeAlert(tx, { id }))).toEqual({ ok: true, data: { id } });
    await t.db.asUser(owner.claims, async (tx) => expect(await openAlertCount(tx)).toBe(0));
    const [alert] = await alertsOf(owner);
    expect(alert).toMatchObject({ id, status: "acknowledged", acknowledged_by: "Test User" });
    expect(alert.acknowledged_at).not.toBeNull();
    const [row] = await t.admin`select acknowledged_by from integration_alerts where id = ${id}`;
    expect(row.acknowledged_by).toBe(admin.id);
    // Raising it again counts on it and keeps it acknowledged.
    await raise(owner, "webhooks:failing");
    expect((await alertsOf(owner))[0]).toMatchObject({ count: 2, status: "acknowledged" });
  });

  it("snoozes: hidden until the time, then open again", async () => {
    const { owner } = await team();
    const id = await raise(owner, "twilio:number_unreachable");
    const r = await as(owner, (tx) => service.snoozeAlert(tx, { id, hours: 4 }));
    expect(r.ok).toBe(true);
    expect(await alertsOf(owner)).toEqual([]);
    const [snoozed] = await alertsOf(owner, "snoozed");
    expect(snoozed.id).toBe(id);
    const until = new Date(snoozed.snoozed_until!).getTime();
    expect(Math.abs(until - (Date.now() + 4 * 3600_000))).toBeLessThan(60_000);
    await t.db.asUser(owner.claims, async (tx) => expect(await openAlertCount(tx)).toBe(0));

    // The snooze runs out.
    await t.admin`update integration_alerts set snoozed_until = now() - interval '1 minute' where id = ${id}`;
    expect((await alertsOf(owner)).map((a) => [a.id, a.status])).toEqual([[id, "open"]]);
    await t.db.asUser(owner.claims, async (tx) => expect(await openAlertCount(tx)).toBe(1));
    await raise(owner, "twilio:number_unreachable");
    const [row] = await t.admin`select status, snoozed_until, count from integration_alerts where id = ${id}`;
    expect(row).toMatchObject({ status: "open", snoozed_until: null, count: 2 });
  });

  it("refuses managers and members, other orgs' alerts, and bad hours, naming the field", async () => {
    const { owner, manager, member } = await team();
    const stranger = await createUser(t);
    const id = await raise(owner, "gmail:token_revoked");
    for (const u of [manager, member]) {
      for (const act of [service.acknowledgeAlert, service.resolveAlert]) {
        expect(await as(u, (tx) => act(tx, { id }))).toMatchObject({ ok: false, code: "forbidden" });
      }
      expect(await as(u, (tx) => service.snoozeAlert(tx, { id, hours: 2 }))).toMatchObject({ ok: false, code: "forbidden" });
      expect(await alertsOf(u)).toEqual([]);
    }
    expect(await as(stranger, (tx) => service.resolveAlert(tx, { id }))).toMatchObject({ ok: false, code: "not_found" });
    expect(await as(owner, (tx) => service.snoozeAlert(tx, { id, hours: 0 }))).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { hours: "Snooze for at least 1 hour" },
    });
    expect(await as(owner, (tx) => service.snoozeAlert(tx, { id, hours: "many" }))).toMatchObject({
      ok: false,
      fieldErrors: { hours: expect.any(String) },
    });
    // The database refuses past the app's checks too.
    await expect(
      t.db.asUser(owner.claims, (tx) => sql`select public.snooze_integration_alert(${id}, 10000)`.execute(tx)),
    ).rejects.toThrow(/1 to 720 hours/);
    await expect(
      t.db.asUser(member.claims, (tx) => sql`update integration_alerts set status = 'resolved'`.execute(tx)),
    ).resolves.toMatchObject({ numAffectedRows: 0n });
    expect((await alertsOf(owner))[0]).toMatchObject({ id, status: "open" });
  });
});

describe("health", () => {
  it("reports each integration's configuration, last success and error, and 24-hour errors", async () => {
    const { owner, member } = await team();
    const record = (account: string, ok: boolean, error: string | null = null) =>
      t.db.asService((tx) =>
        sql`select private.record_integration_result(${owner.orgId}, 'twilio', ${account}, ${ok}, ${error})`.execute(tx),
      );
    await record("+15550001111", true);
    await record("+15550001111", false, "HTTP 401 from Twilio");
    await record("+15550001111", false, "HTTP 401 from Twilio");
    await record("+15550002222", true);
    // An error older than a day stays the last error but leaves the 24-hour count.
    await t.admin`update integration_errors set occurred_at = now() - interval '2 days'
                  where id = (select min(id) from integration_errors where org_id = ${owner.orgId})`;

    const health = await t.db.asUser(owner.claims, (tx) => integrationOverview(tx));
    expect(health.map((h) => h.key)).toEqual(["meta", "web_forms", "twilio", "gmail", "webhooks", "partners", "jobs"]);
    const twilio = health.find((h) => h.key === "twilio")!;
    expect(twilio).toMatchObject({ status: "failing", errors_24h: 1, last_error: "HTTP 401 from Twilio" });
    expect(twilio.accounts.map((a) => [a.account, a.errors_24h])).toEqual([
      ["+15550001111", 1],
      ["+15550002222", 0],
    ]);
    expect(health.find((h) => h.key === "gmail")).toMatchObject({ status: "not_set_up", configuration: "missing" });
    expect(health.find((h) => h.key === "meta")).toMatchObject({ configuration: "missing", status: "not_set_up" });
    // An open alert needs attention even where nothing is configured.
    await raise(owner, "meta:token_expired:1234");
    const after = await t.db.asUser(owner.claims, (tx) => integrationOverview(tx));
    expect(after.find((h) => h.key === "meta")).toMatchObject({ status: "failing", open_alerts: 1 });

    // Members see no health at all.
    const theirs = await t.db.asUser(member.claims, (tx) => integrationOverview(tx));
    expect(theirs.find((h) => h.key === "twilio")).toMatchObject({ status: "not_set_up", accounts: [] });
  });

  it("raises an alert for a dead-lettered job of an org", async () => {
    const { owner } = await team();
    const [job] = await t.admin`insert into jobs (org_id, kind, status, attempts, last_error)
                                values (${owner.orgId}, 'meta.fetch_lead', 'dead', 8, 'Graph API answered 500')
                                returning id`;
    await t.db.asService((tx) => sql`select private.job_dead_lettered(${job.id})`.execute(tx));
    await t.db.asService((tx) => sql`select private.job_dead_lettered(${job.id})`.execute(tx));
    const alerts = await alertsOf(owner);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      integration: "jobs",
      account: "meta.fetch_lead",
      severity: "critical",
      count: 2,
      title: "Background work failed for good: meta.fetch_lead",
    });
    expect(alerts[0].detail).toContain("Graph API answered 500");
  });
});
