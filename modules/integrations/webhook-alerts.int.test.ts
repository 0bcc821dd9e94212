// A webhook endpoint turned off for failing raises an alert; turning it back on resolves it.
import { describe, expect, it } from "vitest";
import { sql } from "@/lib/db";
import { createUser, useTestDatabase } from "@/tests/support/db";
import { listAlerts } from "./queries";

const t = useTestDatabase();

describe("webhook endpoints turned off for failing", () => {
  it("raise a critical alert, resolved when the endpoint is turned back on", async () => {
    const owner = await createUser(t);
    const [endpoint] = await t.admin`
      insert into webhook_endpoints (org_id, url, event_types, consecutive_failures, failing_since)
      values (${owner.orgId}, 'https://hooks.example.com/covey', '{person.*}', 25, now() - interval '2 hours') returning id`;
    // Turned off by hand: no alert.
    await t.admin`update webhook_endpoints set enabled = false where id = ${endpoint.id}`;
    await t.admin`update webhook_endpoints set enabled = true where id = ${endpoint.id}`;
    await t.admin`update webhook_endpoints set consecutive_failures = 25, failing_since = now() - interval '2 hours'
                  where id = ${endpoint.id}`;
    expect(await t.db.asUser(owner.claims, (tx) => listAlerts(tx))).toEqual([]);

    // As the dispatcher turns it off.
    await t.db.asService((tx) =>
      sql`update webhook_endpoints set enabled = false, disabled_reason = 'failing' where id = ${endpoint.id}`.execute(tx),
    );
    const [alert] = await t.db.asUser(owner.claims, (tx) => listAlerts(tx));
    expect(alert).toMatchObject({
      integration: "webhooks",
      account: endpoint.id,
      severity: "critical",
      title: "A webhook endpoint was turned off after failing",
      status: "open",
    });
    expect(alert.detail).toContain("https://hooks.example.com/covey failed 25 times in a row");
    const [told] = await t.admin`select link from notifications where user_id = ${owner.id} and type = 'integration_alert'`;
    expect(told.link).toBe(`/settings/integrations#alert-${alert.id}`);

    // The owner turns it back on.
    await t.db.asUser(owner.claims, (tx) => sql`update webhook_endpoints set enabled = true where id = ${endpoint.id}`.execute(tx));
    expect(await t.db.asUser(owner.claims, (tx) => listAlerts(tx))).toEqual([]);
    const [resolved] = await t.admin`select status, resolved_by from integration_alerts where id = ${alert.id}`;
    expect(resolved).toMatchObject({ status: "resolved", resolved_by: owner.id });
  });
});
