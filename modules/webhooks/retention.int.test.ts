// How long the webhook history is kept (private.prune_webhook_history, run
// every 10 minutes by the job queue's webhooks.prune_history): rows are written
// with their ages set back, then pruned as service_role.
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql as ksql } from "@/lib/db";
import { createUser, useTestDatabase, type TestUser } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let service: postgres.Sql;
let endpointId: string;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Retention Inc" });
  service = postgres(t.appUrl, { max: 1, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  // Listens for deals only, so the person events below fan out nothing by themselves.
  [{ id: endpointId }] = await t.admin`
    insert into webhook_endpoints (org_id, url, event_types) values (${owner.orgId}, 'https://hooks.example.com/in', '{deal.*}')
    returning id`;
});
afterAll(async () => {
  await service?.end();
});
// Events are written oldest first in each test, as time writes them.
afterEach(async () => {
  await t.admin`delete from domain_events where org_id = ${owner.orgId}`;
});

/** A domain event that happened `daysAgo` days ago. */
async function event(daysAgo: number): Promise<number> {
  const [{ id }] = await t.admin`
    insert into domain_events (org_id, type, object_type, object_id, actor_type, data, occurred_at)
    values (${owner.orgId}, 'person.created', 'person', gen_random_uuid(), 'system', '{}', now() - make_interval(days => ${daysAgo}))
    returning id`;
  return Number(id);
}

/** A delivery of `eventId` in `status`, created and finished `daysAgo` days ago, with one attempt. */
async function delivery(eventId: number, status: "pending" | "succeeded" | "dead", daysAgo: number): Promise<number> {
  const [{ id }] = await t.admin`
    insert into webhook_deliveries (org_id, endpoint_id, event_id, domain_event_id, event_type, status, attempts,
                                    next_attempt_at, created_at, delivered_at, dead_at)
    select ${owner.orgId}, ${endpointId}, e.event_id, e.id, e.type, ${status}, 1,
           case when ${status} = 'pending' then now() end,
           now() - make_interval(days => ${daysAgo}),
           case when ${status} = 'succeeded' then now() - make_interval(days => ${daysAgo}) end,
           case when ${status} = 'dead' then now() - make_interval(days => ${daysAgo}) end
    from domain_events e where e.id = ${eventId}
    returning id`;
  await t.admin`
    insert into webhook_attempts (org_id, delivery_id, endpoint_id, attempt, started_at, duration_ms, status_code)
    values (${owner.orgId}, ${id}, ${endpointId}, 1, now() - make_interval(days => ${daysAgo}), 12, 200)`;
  return Number(id);
}

const prune = (...args: [delivered?: string, dead?: string, batch?: number, budget?: number]) =>
  service<{ deliveries: string; events: string }[]>`
    select deliveries, events from private.prune_webhook_history(
      ${args[0] ?? "30 days"}::interval, ${args[1] ?? "90 days"}::interval, ${args[2] ?? 5000}, ${args[3] ?? 100000})`.then(
    ([r]) => ({ deliveries: Number(r.deliveries), events: Number(r.events) }),
  );

async function left(ids: { deliveries?: number[]; events?: number[] }) {
  const d = ids.deliveries?.length ? await t.admin`select id from webhook_deliveries where id = any(${ids.deliveries})` : [];
  const e = ids.events?.length ? await t.admin`select id from domain_events where id = any(${ids.events})` : [];
  const a = ids.deliveries?.length ? await t.admin`select delivery_id from webhook_attempts where delivery_id = any(${ids.deliveries})` : [];
  return {
    deliveries: d.map((r) => Number(r.id)).sort((x, y) => x - y),
    events: e.map((r) => Number(r.id)).sort((x, y) => x - y),
    attempts: a.map((r) => Number(r.delivery_id)).sort((x, y) => x - y),
  };
}

describe("webhook history retention", () => {
  it("drops delivered history after 30 days and dead letters after 90, keeping what may still be sent or replayed", async () => {
    const deadLong = await event(120);
    const deadRecent = await event(60);
    const stillPending = await event(50);
    const oldDelivered = await event(45);
    const quietOld = await event(40); // no endpoint wanted it
    const recentDelivered = await event(10);
    const quietRecent = await event(5);

    const d = {
      oldDelivered: await delivery(oldDelivered, "succeeded", 45),
      recentDelivered: await delivery(recentDelivered, "succeeded", 10),
      deadLong: await delivery(deadLong, "dead", 100),
      deadRecent: await delivery(deadRecent, "dead", 60),
      stillPending: await delivery(stillPending, "pending", 50),
    };

    const result = await prune();
    expect(result).toEqual({ deliveries: 2, events: 3 });
    const kept = [d.recentDelivered, d.deadRecent, d.stillPending].sort((x, y) => x - y);
    expect(await left({ deliveries: Object.values(d), events: [oldDelivered, recentDelivered, deadLong, deadRecent, stillPending, quietOld, quietRecent] })).toEqual({
      deliveries: kept,
      attempts: kept,
      // Old events go with their last delivery; an event still delivering or replayable stays.
      events: [recentDelivered, deadRecent, stillPending, quietRecent].sort((x, y) => x - y),
    });

    // Nothing left to prune.
    expect(await prune()).toEqual({ deliveries: 0, events: 0 });
  });

  it("prunes a backlog a budget at a time, in chunks", async () => {
    const events: number[] = [];
    for (let i = 0; i < 7; i++) events.push(await event(35));
    for (const e of events) await delivery(e, "succeeded", 35);
    // Each call removes at most three deliveries and three events: an event goes once its delivery has.
    expect(await prune("30 days", "90 days", 2, 3)).toEqual({ deliveries: 3, events: 3 });
    expect(await prune("30 days", "90 days", 2, 3)).toEqual({ deliveries: 3, events: 3 });
    expect(await prune("30 days", "90 days", 2, 3)).toEqual({ deliveries: 1, events: 1 });
    expect(await prune("30 days", "90 days", 2, 3)).toEqual({ deliveries: 0, events: 0 });
    expect((await left({ events })).events).toEqual([]);
  });

  it("is for service_role only", async () => {
    await expect(
      t.db.asUser(owner.claims, (tx) => ksql`select * from private.prune_webhook_history()`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501" });
  });
});
