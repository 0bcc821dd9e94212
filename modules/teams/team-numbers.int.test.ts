// A number whose default is a team: Settings → Numbers' service takes an
// owner or a team, never both; a text from a stranger to it (the real
// twilio-sms job, as service_role) makes an unowned lead and tells every
// member of the team, and once someone owns the record only they are told.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { runJobs } from "@/modules/jobs/edge";
import { receiveSms } from "@/modules/sms/receive";
import { RECEIVE_SMS_JOB } from "@/modules/sms/webhook";
import { twilioClient, type TwilioConfig } from "@/modules/twilio/client";
import { listPhones } from "@/modules/twilio/queries";
import { addPhone, type TwilioDeps, updatePhone } from "@/modules/twilio/service";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { addTeamMember, archiveTeam, createTeam } from "./service";

const t = useTestDatabase();
let service: postgres.Sql;
let deps: TwilioDeps;
let owner: TestUser;
let ana: TestUser;
let ben: TestUser;
let cal: TestUser;
let stranger: TestUser;
let intake: string;
let phoneId: string;
const NUMBER = "+15125550177";
let sids = 0;

const actor = (u: TestUser) => ({ claims: u.claims, orgId: u.orgId, role: "owner" as const });

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

/** A text as the twilio-sms function queues it, run through the job queue. */
async function text(from: string, body: string) {
  const sid = `SM${(++sids).toString(16).padStart(32, "0")}`;
  const payload = { sid, accountSid: `AC${"0".repeat(32)}`, to: NUMBER, from, body, mediaUrls: [], segments: 1 };
  await service`select private.enqueue_job(${RECEIVE_SMS_JOB}, ${service.json(payload)}, ${owner.orgId}::uuid, ${`sms-receive:${sid}`}, now(), 5)`;
  await runJobs(service, { [RECEIVE_SMS_JOB]: receiveSms }, { env: () => "", fetch });
  const [job] = await t.admin`select status, last_error from jobs where idempotency_key = ${`sms-receive:${sid}`}`;
  expect(job).toMatchObject({ status: "succeeded" });
  return sid;
}

const toldAbout = async (sid: string) =>
  (await t.admin`select user_id, title from notifications where dedupe_key = ${`sms:${sid}`} order by user_id`).map((r) => ({ user: r.user_id, title: r.title }));

beforeAll(async () => {
  service = postgres(t.appUrl, { max: 4, onnotice: () => {}, connection: { role: "service_role" } });
  const keyring = await parseKeyring(generateKeySpec("k1"));
  const config: TwilioConfig = { apiUrl: "http://127.0.0.1:9", webhookBaseUrl: null };
  deps = { db: t.db, keyring: async () => keyring, config, client: (c) => twilioClient(c, config) };
  owner = await createUser(t, { orgName: "Shared Line Co" });
  ana = await createMember(t, owner.orgId, "member");
  ben = await createMember(t, owner.orgId, "member");
  cal = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
  intake = (await t.db.asUser(owner.claims, (tx) => createTeam(tx, owner.orgId, { name: "Intake" }))).id;
  for (const u of [ana, ben]) await t.db.asUser(owner.claims, (tx) => addTeamMember(tx, owner.orgId, { teamId: intake, userId: u.id }));
});
afterAll(async () => {
  await service?.end();
});

describe("a number whose default is a team", () => {
  it("takes an owner or a team in Settings → Numbers, never both, and only an active team of the org", async () => {
    const both = await refusal(addPhone(deps, actor(owner), { number: NUMBER, defaultOwnerId: owner.id, defaultTeamId: intake }));
    expect(both.details).toEqual({ defaultTeamId: ["Choose an owner or a team, not both"] });
    const theirTeam = (await t.db.asUser(stranger.claims, (tx) => createTeam(tx, stranger.orgId, { name: "Theirs" }))).id;
    const foreign = await refusal(addPhone(deps, actor(owner), { number: NUMBER, defaultTeamId: theirTeam }));
    expect(foreign.details).toEqual({ defaultTeamId: ["Choose an active team of this workspace"] });
    expect((await t.admin`select count(*)::int as n from phones where org_id = ${owner.orgId}`)[0].n).toBe(0);

    ({ id: phoneId } = await addPhone(deps, actor(owner), { number: NUMBER, label: "Intake line", defaultTeamId: intake }));
    const [listed] = await t.db.asUser(ana.claims, (tx) => listPhones(tx));
    expect(listed).toMatchObject({ number: NUMBER, defaultOwnerId: null, defaultTeamId: intake, defaultTeamName: "Intake" });
    // The database holds to one default whatever the path.
    await expect(t.admin`update phones set default_owner_id = ${owner.id} where id = ${phoneId}`).rejects.toMatchObject({ code: "23514" });
  });

  it("makes an unowned lead from a stranger's text and tells every member of the team, once each", async () => {
    const sid = await text("+14155550199", "Hi, I saw your ad");
    const [lead] = await t.admin`select id, owner_id, source from leads where org_id = ${owner.orgId} and phone = '+14155550199'`;
    expect(lead).toMatchObject({ owner_id: null, source: "sms" });
    const told = await toldAbout(sid);
    expect(told.map((n) => n.user).sort()).toEqual([ana.id, ben.id].sort());
    expect(told[0].title).toBe("Text from +14155550199 to Intake");
    // Running the queue again tells no one twice.
    await runJobs(service, { [RECEIVE_SMS_JOB]: receiveSms }, { env: () => "", fetch });
    expect(await toldAbout(sid)).toHaveLength(2);

    // Once Cal owns the lead, the next text tells Cal alone.
    await t.admin`update leads set owner_id = ${cal.id} where id = ${lead.id}`;
    const next = await toldAbout(await text("+14155550199", "Are you there?"));
    expect(next.map((n) => n.user)).toEqual([cal.id]);
  });

  it("keeps the team active while the number names it, and an owner number tells no team", async () => {
    const archived = await refusal(t.db.asUser(owner.claims, (tx) => archiveTeam(tx, { id: intake }, true)));
    expect(archived).toMatchObject({
      code: "conflict",
      message: `Texts to ${NUMBER} go to this team: choose another default for the number in Settings → Numbers first`,
    });
    await updatePhone(deps, actor(owner), { id: phoneId, label: "Intake line", defaultOwnerId: owner.id });
    const sid = await text("+14155550188", "Hello");
    expect((await toldAbout(sid)).map((n) => n.user)).toEqual([owner.id]);
    expect(await t.db.asUser(owner.claims, (tx) => archiveTeam(tx, { id: intake }, true))).toBeUndefined();
  });
});
