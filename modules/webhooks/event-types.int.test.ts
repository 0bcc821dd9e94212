// The types an endpoint can subscribe to are the types the database emits:
// private.domain_event_types() holds every writer of domain_events to its
// list, the catalog offers the same list, and each type on it fires.
import { CompiledQuery, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, useTestDatabase, type TestUser } from "@/tests/support/db";
import { WEBHOOK_EVENT_CATALOG } from "./schema";

const t = useTestDatabase();
let owner: TestUser;
let listed: string[];

async function run<T = { id: string }>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.db.asUser(owner.claims, async (tx) => (await tx.executeQuery<T>(CompiledQuery.raw(query, params))).rows);
}

async function lifecycle(table: string, insert: string, params: unknown[], edit: string) {
  const [row] = await run(insert, params);
  await run(`update ${table} set ${edit} where id = $1`, [row.id]);
  await run(`update ${table} set archived_at = now() where id = $1`, [row.id]);
  await run(`update ${table} set archived_at = null where id = $1`, [row.id]);
  return row.id;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Events Co" });
  const [row] = await t.admin`select private.domain_event_types() as types`;
  listed = row.types;
});

describe("domain event types", () => {
  it("are offered to webhook endpoints exactly as the database emits them", () => {
    const offered = WEBHOOK_EVENT_CATALOG.flatMap((f) => f.types as readonly string[]);
    expect(new Set(offered).size).toBe(offered.length);
    expect([...offered, "webhook.test"].sort()).toEqual([...listed].sort());
  });

  it("holds every writer of domain_events to the list", async () => {
    const [p] = await run(`insert into people (org_id, first_name) values ($1, 'Listed') returning id`, [owner.orgId]);
    const refused = await t.admin`
      insert into domain_events (org_id, type, object_type, object_id, actor_type, data)
      values (${owner.orgId}, 'note.archived', 'note', ${p.id}, 'system', '{}')`.catch((e: { code: string }) => e);
    expect(refused).toMatchObject({ code: "23514", constraint_name: "domain_events_type_listed" });
  });

  it("all fire: every listed type is emitted by some change", async () => {
    const people = [];
    for (const name of ["Ada", "Ada B"]) {
      people.push(await lifecycle("people", `insert into people (org_id, first_name) values ($1, $2) returning id`,
        [owner.orgId, name], "title = 'CTO'"));
    }
    await run(`select public.merge_people($1, $2) as id`, [people[0], people[1]]);
    const companies = [];
    for (const name of ["Acme", "Acme Inc"]) {
      companies.push(await lifecycle("companies", `insert into companies (org_id, name) values ($1, $2) returning id`,
        [owner.orgId, name], "industry = 'Tools'"));
    }
    await run(`select public.merge_companies($1, $2) as id`, [companies[0], companies[1]]);

    const stages = await t.admin`
      select id, pipeline_id, is_won, is_lost from pipeline_stages where org_id = ${owner.orgId} order by position`;
    const open = stages.filter((s) => !s.is_won && !s.is_lost);
    const won = stages.find((s) => s.is_won)!;
    const lost = stages.find((s) => s.is_lost)!;
    const deal = await lifecycle("deals",
      `insert into deals (org_id, name, pipeline_id, stage_id) values ($1, 'Deal', $2, $3) returning id`,
      [owner.orgId, open[0].pipeline_id, open[0].id], "name = 'Bigger deal'");
    await run(`update deals set stage_id = $2 where id = $1`, [deal, open[1].id]);
    // A handoff stage: submitted, accepted, submitted again and denied with its reason.
    await t.admin`update pipeline_stages set handoff_accept_stage_id = ${open[1].id}, handoff_deny_stage_id = ${open[0].id} where id = ${open[2].id}`;
    await run(`update deals set stage_id = $2 where id = $1`, [deal, open[2].id]);
    await run(`update deals set stage_id = $2 where id = $1`, [deal, open[1].id]);
    await run(`update deals set stage_id = $2 where id = $1`, [deal, open[2].id]);
    await t.db.asUser(owner.claims, async (tx) => {
      await sql`select set_config('covey.change_reason', 'Not ready', true)`.execute(tx);
      await sql`update deals set stage_id = ${open[0].id} where id = ${deal}`.execute(tx);
    });
    await run(`update deals set stage_id = $2 where id = $1`, [deal, won.id]);
    await run(`update deals set stage_id = $2, lost_reason = 'Budget' where id = $1`, [deal, lost.id]);

    const task = await lifecycle("tasks", `insert into tasks (org_id, title) values ($1, 'Call back') returning id`,
      [owner.orgId], "title = 'Call back today'");
    await run(`update tasks set status = 'done' where id = $1`, [task]);
    const lead = await lifecycle("leads", `insert into leads (org_id, source, first_name) values ($1, 'manual', 'Lee') returning id`,
      [owner.orgId], "message = 'Call me'");
    await run(`update leads set status = 'qualified' where id = $1`, [lead]);
    await run(`update leads set converted_at = now(), person_id = $2 where id = $1`, [lead, people[0]]);
    await run(`delete from leads where id = $1`, [lead]);
    const [note] = await run(
      `insert into notes (org_id, body_html, body_text, person_id) values ($1, '<p>Hi</p>', 'Hi', $2) returning id`,
      [owner.orgId, people[0]]);
    await run(`update notes set body_html = '<p>Hello</p>', body_text = 'Hello' where id = $1`, [note.id]);
    await run(`delete from notes where id = $1`, [note.id]);
    await run(`delete from tasks where id = $1`, [task]);
    await run(`delete from deals where id = $1`, [deal]);
    await run(`delete from people where id = $1`, [people[0]]);
    await run(`delete from companies where id = $1`, [companies[0]]);

    const emails = await t.admin`
      insert into emails (org_id, direction, provider, from_address, to_addresses, subject, status, received_at)
      values (${owner.orgId}, 'outbound', 'gmail', 'me@example.com', '{ada@example.com}', 'Sent', 'queued', null),
             (${owner.orgId}, 'outbound', 'gmail', 'me@example.com', '{ada@example.com}', 'Failed', 'queued', null),
             (${owner.orgId}, 'inbound', 'gmail', 'ada@example.com', '{me@example.com}', 'Reply', 'received', now())
      returning id`;
    await t.admin`update emails set status = 'sent', sent_at = now() where id = ${emails[0].id}`;
    await t.admin`update emails set status = 'failed', error = 'Refused' where id = ${emails[1].id}`;
    // Texts: one in, one out and delivered, one out and undelivered.
    const [contact] = await run(`insert into people (org_id, first_name, phone) values ($1, 'Texter', '+14155550111') returning id`, [owner.orgId]);
    await t.admin`insert into phones (org_id, number) values (${owner.orgId}, '+15125550177')`;
    await t.admin`select private.sms_receive(${owner.orgId}, null, ${"SM" + "a".repeat(32)}, '+15125550177', '+14155550111', 'Hi', '{}', 1, ${contact.id}, null)`;
    for (const [digit, status] of [["1", "delivered"], ["2", "undelivered"]] as const) {
      const [m] = await run(
        `insert into sms_messages (org_id, direction, org_number, contact_number, body, status, person_id, author_id)
         values ($1, 'outbound', '+15125550177', '+14155550111', 'Hello', 'queued', $2, $3) returning id`,
        [owner.orgId, contact.id, owner.claims.sub]);
      const sid = "SM" + digit.repeat(32);
      await t.admin`select private.sms_record_send(${m.id}, ${sid}, 'queued', 1)`;
      await t.admin`select private.sms_status_callback(${sid}, ${status}, ${status === "undelivered" ? 30003 : null})`;
    }

    // A call logged by hand; one placed through Twilio that ends with a recording.
    const [callee] = await run(`insert into people (org_id, first_name) values ($1, 'Callie') returning id`, [owner.orgId]);
    await run(
      `insert into calls (org_id, direction, source, status, outcome, user_id, person_id)
       values ($1, 'outbound', 'manual', 'completed', 'connected', $2, $3) returning id`,
      [owner.orgId, owner.id, callee.id]);
    const [call] = await run(
      `insert into calls (org_id, direction, source, org_number, contact_number, status, user_id, person_id)
       values ($1, 'outbound', 'twilio', '+15125550100', '+14155550123', 'queued', $2, $3) returning id`,
      [owner.orgId, owner.id, callee.id]);
    await t.admin`update calls set status = 'completed', recording_url = 'https://api.twilio.com/recording.wav' where id = ${call.id}`;

    // A case matched with intended parents, which declines the case's other proposal.
    const [left] = await t.admin`insert into pipelines (org_id, name) values (${owner.orgId}, 'Cases') returning id`;
    const [right] = await t.admin`insert into pipelines (org_id, name) values (${owner.orgId}, 'Intended parents') returning id`;
    const [ls] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name) values (${owner.orgId}, ${left.id}, 'Pending match') returning id`;
    const [rs] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name) values (${owner.orgId}, ${right.id}, 'Qualified') returning id`;
    await t.admin`insert into match_settings (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label)
                  values (${owner.orgId}, ${left.id}, ${right.id}, 'Surrogate', 'Parents')`;
    const sides = await t.admin`
      insert into deals (org_id, name, pipeline_id, stage_id)
      values (${owner.orgId}, 'Case', ${left.id}, ${ls.id}), (${owner.orgId}, 'Parents', ${right.id}, ${rs.id}),
             (${owner.orgId}, 'Other parents', ${right.id}, ${rs.id})
      returning id`;
    const [made] = await run(`insert into matches (org_id, left_deal_id, right_deal_id) values ($1, $2, $3) returning id`, [owner.orgId, sides[0].id, sides[1].id]);
    // Matched, the case's other open match is declined.
    await run(`insert into matches (org_id, left_deal_id, right_deal_id) values ($1, $2, $3) returning id`, [owner.orgId, sides[0].id, sides[2].id]);
    for (const status of ["left_review", "right_review", "meeting", "matched"]) await run(`update matches set status = $2 where id = $1`, [made.id, status]);

    // An endpoint's test event, then its failures until it is disabled.
    const [endpoint] = await t.admin`
      insert into webhook_endpoints (org_id, url, event_types)
      values (${owner.orgId}, 'https://hooks.example.com/in', '{person.*}') returning id`;
    await run(`select public.send_webhook_test($1) as id`, [endpoint.id]);
    await t.db.asService(async (tx) => {
      const { rows } = await sql<{ delivery_id: string; attempt: number }>`
        select delivery_id, attempt from private.claim_webhook_deliveries(1000, interval '1 minute')
        where endpoint_id = ${endpoint.id}`.execute(tx);
      const results = rows.map((r) => ({
        delivery_id: Number(r.delivery_id),
        attempt: r.attempt,
        started_at: new Date(Date.now() - 60_000).toISOString(),
        duration_ms: 10,
        status_code: 500,
        error: "http_500",
        response_excerpt: "down",
        succeeded: false,
        next_attempt_at: new Date(Date.now() + 60_000).toISOString(),
      }));
      expect(results.length).toBeGreaterThan(0);
      await sql`select private.record_webhook_attempts(${JSON.stringify(results)}::text::jsonb, 1, interval '0 seconds')`.execute(tx);
    });

    const emitted = await t.admin`select distinct type from domain_events where org_id = ${owner.orgId} order by 1`;
    expect(emitted.map((e) => e.type)).toEqual([...listed].sort());
  });
});
