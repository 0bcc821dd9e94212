// Reminders of important dates (migration 20261209401000): on the reminder
// day in the recipient's zone the deal's owner is told once, in the bell and
// by email, through the job queue. The clock is a parameter, never a sleep.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { parseInput } from "@/lib/errors";
import { createDeal } from "@/modules/crm/deals";
import { runJobs } from "@/modules/jobs";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { handlers } from "@/supabase/functions/jobs/handlers";
import { dealDateSchema } from "./schema";
import { addDealDate, updateDealDate } from "./service";

const t = useTestDatabase();
let service: postgres.Sql;
let auckland: TestUser;
let utc: TestUser;

const actor = (u: TestUser): Pick<Actor, "orgId" | "userId"> => ({ orgId: u.orgId, userId: u.id });

async function newDeal(by: TestUser, name: string) {
  const [stage] = await t.admin`
    select s.id, s.pipeline_id from pipeline_stages s join pipelines p on p.id = s.pipeline_id
     where p.org_id = ${by.orgId} order by p.position, s.position limit 1`;
  const { id } = await t.db.asUser(by.claims, (tx) =>
    createDeal(tx, actor(by), { name, pipelineId: stage.pipeline_id, stageId: stage.id, valueMinor: 0, currency: "USD", ownerId: by.id, tags: [], custom: {} } as never),
  );
  return id;
}

const addDate = (by: TestUser, dealId: string, fields: Record<string, unknown>) =>
  t.db.asUser(by.claims, (tx) => addDealDate(tx, actor(by), dealId, parseInput(dealDateSchema, fields)));

/** Runs the reminder pass as the hourly job would at `at`. */
const remindAt = async (at: string) => (await t.admin`select private.send_date_reminders(${at}::timestamptz) as n`)[0].n as number;

const bell = (u: TestUser) => t.admin`select title, body, link from notifications where user_id = ${u.id} and type = 'date_reminder' order by id`;
const emailJobs = (u: TestUser) =>
  t.admin`select j.id from jobs j join notifications n on n.id = (j.payload ->> 'notification_id')::bigint
           where j.kind = 'deal_dates.email_reminder' and n.user_id = ${u.id}`;

beforeAll(async () => {
  service = postgres(t.appUrl, { max: 4, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  auckland = await createUser(t, { orgName: "Reminders Co", fullName: "Aroha Owner" });
  utc = await createMember(t, auckland.orgId, "member");
  await t.admin`update profiles set time_zone = 'Pacific/Auckland' where user_id = ${auckland.id}`;
});
afterAll(async () => {
  await service?.end();
});

describe("date reminders", () => {
  it("tells the owner once, on the reminder day in their own zone, with the date and note", async () => {
    const deal = await newDeal(auckland, "Rivera case");
    await addDate(auckland, deal, { kind: "Medical screening", date: "2031-03-20", note: "Bring ID", remindDaysBefore: 3 });

    // 23:00 on the 16th in Auckland (NZDT, UTC+13): the day before the reminder day.
    expect(await remindAt("2031-03-16T10:00:00Z")).toBe(0);
    expect(await bell(auckland)).toEqual([]);
    // 00:30 on the 17th in Auckland, though still the 16th in UTC.
    expect(await remindAt("2031-03-16T11:30:00Z")).toBe(1);
    const expected = { title: "Medical screening in 3 days: Rivera case", body: "Thursday, March 20, 2031\nBring ID", link: `/deals/${deal}` };
    expect(await bell(auckland)).toEqual([expected]);
    expect(await emailJobs(auckland)).toHaveLength(1);

    // Re-runs, the same hour or days later, send nothing more.
    expect(await remindAt("2031-03-16T11:45:00Z")).toBe(0);
    expect(await remindAt("2031-03-18T11:30:00Z")).toBe(0);
    expect(await bell(auckland)).toEqual([expected]);
    expect(await emailJobs(auckland)).toHaveLength(1);
  });

  it("uses UTC for a member whose profile names no zone, and 'today' on the day itself", async () => {
    const deal = await newDeal(utc, "Utc deal");
    await addDate(utc, deal, { kind: "Contract end", date: "2031-05-10", remindDaysBefore: 0 });
    expect(await remindAt("2031-05-09T23:59:00Z")).toBe(0);
    expect(await remindAt("2031-05-10T00:01:00Z")).toBe(1);
    expect((await bell(utc)).map((n) => n.title)).toEqual(["Contract end today: Utc deal"]);
  });

  it("reminds again when the date moves, and never for a date with no reminder, a past one or an archived deal", async () => {
    const deal = await newDeal(utc, "Moving deal");
    const { id } = await addDate(utc, deal, { kind: "Kick-off", date: "2031-07-10", remindDaysBefore: 1 });
    await addDate(utc, deal, { kind: "No reminder", date: "2031-07-10" });
    await addDate(utc, deal, { kind: "Long past", date: "2031-07-01", remindDaysBefore: 1 });
    const archived = await newDeal(utc, "Archived deal");
    await addDate(utc, archived, { kind: "Archived", date: "2031-07-10", remindDaysBefore: 1 });
    await t.admin`update deals set archived_at = now() where id = ${archived}`;

    expect(await remindAt("2031-07-09T12:00:00Z")).toBe(1);
    await t.db.asUser(utc.claims, (tx) => updateDealDate(tx, id, parseInput(dealDateSchema, { kind: "Kick-off", date: "2031-07-20", remindDaysBefore: 1 })));
    expect(await remindAt("2031-07-09T13:00:00Z")).toBe(0);
    expect(await remindAt("2031-07-19T12:00:00Z")).toBe(1);
    expect((await bell(utc)).filter((n) => n.link === `/deals/${deal}`).map((n) => n.title)).toEqual([
      "Kick-off tomorrow: Moving deal",
      "Kick-off tomorrow: Moving deal",
    ]);
    expect((await bell(utc)).some((n) => n.link === `/deals/${archived}`)).toBe(false);
  });

  it("sends neither bell nor email to a member who turned date reminders off", async () => {
    const quiet = await createMember(t, auckland.orgId, "member");
    await t.admin`insert into notification_settings (org_id, user_id, type, in_app) values (${quiet.orgId}, ${quiet.id}, 'date_reminder', false)`;
    const deal = await newDeal(quiet, "Quiet deal");
    await addDate(quiet, deal, { kind: "Renewal", date: "2031-08-10", remindDaysBefore: 0 });
    expect(await remindAt("2031-08-10T12:00:00Z")).toBe(1);
    expect(await bell(quiet)).toEqual([]);
    expect(await emailJobs(quiet)).toHaveLength(0);
  });

  it("runs through the job queue: the remind job with a clock, then the email with the bell's words", async () => {
    const deal = await newDeal(auckland, "Queue case");
    await addDate(auckland, deal, { kind: "Embryo transfer", date: "2031-10-07", remindDaysBefore: 7 });
    await service`select private.enqueue_job('deal_dates.remind', ${service.json({ at: "2031-09-30T09:00:00Z" })}, null, 'test-remind')`;
    // The first run sends the reminder and queues its email; the same run drains the queue.
    await runJobs(service, handlers, { maxRunMs: 10_000 });
    const [n] = (await bell(auckland)).filter((x) => x.link === `/deals/${deal}`);
    expect(n.title).toBe("Embryo transfer in 7 days: Queue case");
    const mail = await t.admin`select to_address, subject, text from local_dev.mailbox where tag = 'date_reminder' and subject = ${n.title}`;
    expect(mail).toHaveLength(1);
    expect(mail[0].to_address).toBe(auckland.email);
    expect(mail[0].text).toContain("Tuesday, October 7, 2031");
    expect(mail[0].text).toContain(`/deals/${deal}`);
    const [job] = await t.admin`select status from jobs where kind = 'deal_dates.remind' and idempotency_key = 'test-remind'`;
    expect(job.status).toBe("succeeded");
    // A bad clock is dead at once, naming the field.
    await service`select private.enqueue_job('deal_dates.remind', ${service.json({ at: "next tuesday" })}, null, 'test-bad-clock')`;
    await runJobs(service, handlers, { maxRunMs: 10_000 });
    const [bad] = await t.admin`select status, last_error from jobs where idempotency_key = 'test-bad-clock'`;
    expect(bad.status).toBe("dead");
  });
});
