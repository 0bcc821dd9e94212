// Partners reached by signed webhook, on real Postgres and a real local
// receiver that verifies with the `standardwebhooks` library: the secret
// made once and sealed, the offer POSTed through the job queue and signed as
// outbound webhooks are, answered by a JSON POST to its single-use link,
// and a partner endpoint that keeps failing retried, then alerted on and
// the lead routed on, the alert resolved once it works again. Time moves by
// making retries due, never by sleeping.
import postgres from "postgres";
import * as undici from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/envelope";
import { sql } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { integrationOverview } from "@/modules/integrations/queries";
import { runJobs } from "@/modules/jobs/edge";
import { pinnedFetch, type Undici } from "@/modules/webhooks/pinned-fetch";
import { type Receiver, startReceiver } from "@/modules/webhooks/testing";
import { handlers } from "@/supabase/functions/jobs/handlers";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { answerOfferRequest } from "./answer-http";
import { rotatePartnerSecret, savePartner, saveRule } from "./service";

const t = useTestDatabase();
const keySpec = generateKeySpec("k1");
const keyring = () => parseKeyring(keySpec);
const send = pinnedFetch(undici as unknown as Undici);
let owner: TestUser;
let member: TestUser;
let fallback: TestUser;
let other: TestUser;
let service: postgres.Sql;
let receiver: Receiver;

const actor = (u: TestUser, role: Actor["role"]): Actor => ({ userId: u.id, orgId: u.orgId, role });
const asOwner = <T>(fn: (tx: Parameters<Parameters<typeof t.db.asUser>[1]>[0]) => Promise<T>) => t.db.asUser(owner.claims, fn);
const env = (name: string) =>
  ({ APP_URL: "http://covey.test", MAIL_DRIVER: "dev", COVEY_SECRET_KEYS: keySpec, COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1" })[name] ?? "";
const noDns = async (): Promise<string[]> => {
  throw new Error("no DNS in tests");
};

/** Runs the queue as the jobs function does, first making every waiting retry due. */
async function runQueue() {
  await t.admin`update jobs set run_at = now() where status = 'pending'`;
  return runJobs(service, handlers, { env, net: { resolve: noDns, send }, maxRunMs: 5000 });
}

beforeAll(async () => {
  process.env.COVEY_WEBHOOKS_ALLOW_LOOPBACK = "1";
  owner = await createUser(t, { orgName: "Hook Partners Co" });
  member = await createMember(t, owner.orgId, "member");
  fallback = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Other Org" });
  service = postgres(t.appUrl, { max: 4, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  receiver = await startReceiver("/offers");
});
afterAll(async () => {
  await service?.end();
  await send.close();
  await receiver?.close();
});
afterEach(async () => {
  receiver.received.length = 0;
  receiver.behave(() => ({ status: 200, body: "ok" }));
  await t.admin`delete from lead_routing_rules where org_id = ${owner.orgId}`;
});

async function webhookPartner(name: string, channel: "webhook" | "both" = "webhook") {
  return asOwner((tx) =>
    savePartner(tx, actor(owner, "owner"), { name, contactEmail: `${name.toLowerCase().replace(/\W+/g, "-")}@partner.example`, responseHours: 24, channel, webhookUrl: receiver.url }, undefined, keyring),
  );
}

async function arrive(fields: Record<string, unknown> = {}): Promise<string> {
  const [l] = await t.admin`insert into leads ${t.admin({ org_id: owner.orgId, source: "web_form", first_name: "Ana", last_name: "Ruiz", email: "ana@lead.example", phone: "+14155550100", state: "TX", ...fields } as Record<string, postgres.SerializableParameter>)} returning id`;
  return l.id as string;
}

const offerOf = async (leadId: string) =>
  (await t.admin`select id, partner_id, status, channel, webhook_delivered_at from partner_deliveries where lead_id = ${leadId} order by created_at`)[0];

function answer(url: string, body?: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
  const token = new URL(url).pathname.split("/").pop()!;
  const errors: unknown[] = [];
  return answerOfferRequest(
    new Request(url, { method: "POST", headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) }),
    token,
    (e) => errors.push(e),
  );
}

describe("a partner's signing secret", () => {
  it("is made once for a webhook partner, sealed where members cannot read it, and rotated on request by admins only", async () => {
    const saved = await webhookPartner("Sealed Partner");
    expect(saved.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [row] = await t.admin`select secret, hint from org_secrets where org_id = ${owner.orgId} and purpose = ${`partners.webhook_secret:${saved.id}`}`;
    expect(row.secret).not.toContain(saved.secret!.slice(6));
    expect(row.hint).toBe(saved.secret!.slice(-4));
    await expect(asOwner((tx) => tx.selectFrom("org_secrets").select("secret" as never).execute())).rejects.toThrow(/permission denied/);

    const again = await asOwner((tx) =>
      savePartner(tx, actor(owner, "owner"), { name: "Sealed Partner", contactEmail: "sealed@partner.example", responseHours: 12, channel: "both", webhookUrl: receiver.url }, saved.id, keyring),
    );
    expect(again).toEqual({ id: saved.id });

    const rotated = await asOwner((tx) => rotatePartnerSecret(tx, actor(owner, "owner"), saved.id, keyring));
    expect(rotated.secret).not.toBe(saved.secret);
    const refused = await t.db.asUser(member.claims, (tx) => rotatePartnerSecret(tx, actor(member, "member"), saved.id, keyring)).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("forbidden");
  });

  it("names the webhook URL when it is missing or cannot receive offers, and writes nothing", async () => {
    const missing = await asOwner((tx) =>
      savePartner(tx, actor(owner, "owner"), { name: "No URL", contactEmail: "n@partner.example", responseHours: 4, channel: "webhook" }, undefined, keyring),
    ).then(() => null, (e: DomainError) => e);
    expect(missing?.details).toEqual({ webhookUrl: ["Enter the URL offers are sent to"] });
    const internal = await asOwner((tx) =>
      savePartner(tx, actor(owner, "owner"), { name: "Metadata", contactEmail: "m@partner.example", responseHours: 4, channel: "webhook", webhookUrl: "https://169.254.169.254/latest" }, undefined, keyring),
    ).then(() => null, (e: DomainError) => e);
    expect(Object.keys(internal?.details ?? {})).toEqual(["webhookUrl"]);
    expect(await t.admin`select 1 from partners where org_id = ${owner.orgId} and name in ('No URL', 'Metadata')`).toHaveLength(0);
  });
});

describe("an offer by webhook", () => {
  it("is POSTed through the queue, signed as Standard Webhooks verify it, and accepted once by a JSON POST to its link", async () => {
    const partner = await webhookPartner("Hook Fulfil");
    await asOwner((tx) => saveRule(tx, actor(owner, "owner"), { name: "To Hook", action: "partner", partnerIds: [partner.id] }));
    const leadId = await arrive({ message: "Call after 5" });
    const offer = await offerOf(leadId);
    expect(offer).toMatchObject({ partner_id: partner.id, status: "sent", channel: "webhook" });

    // The first POST fails: the retry carries the same webhook-id and the same link.
    receiver.behave((_r, n) => (n === 1 ? { status: 502 } : { status: 200, body: "ok" }));
    expect(await runQueue()).toMatchObject({ failed: 1 });
    expect(await runQueue()).toMatchObject({ succeeded: 1 });
    const [first, second] = receiver.received;
    expect(second.id).toBe(first.id);
    expect(second.payload.data.respond_url).toBe(first.payload.data.respond_url);
    const payload = receiver.verify(second, partner.secret!) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      type: "lead.offered",
      data: {
        offer_id: offer.id,
        from: "Hook Partners Co",
        partner: { id: partner.id, name: "Hook Fulfil" },
        lead: { first_name: "Ana", state: "TX", message: "Call after 5", source: "Web form" },
      },
    });
    expect(() => receiver.verify(second, "whsec_" + Buffer.alloc(32, 1).toString("base64"))).toThrow();
    expect(second.body).not.toContain("4155550100");
    expect(second.body).not.toContain("ana@lead.example");
    // Webhook only: no email went out.
    expect(await t.admin`select 1 from local_dev.mailbox where tag = 'partner_offer' and to_address = 'hook-fulfil@partner.example'`).toHaveLength(0);
    expect((await offerOf(leadId)).webhook_delivered_at).not.toBeNull();
    const [health] = await t.admin`select last_success_at, last_error from integration_health where org_id = ${owner.orgId} and integration = 'partners' and account = ${partner.id}`;
    expect(health.last_success_at).not.toBeNull();

    const data = payload.data as { respond_url: string; accept_url: string; reject_url: string };
    expect(data.accept_url).toBe(`${data.respond_url}?decision=accept`);
    const bad = await answer(data.respond_url, { decision: "maybe" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details).toEqual({ decision: ["Send accept or reject"] });
    expect((await answer(data.respond_url, "decision=accept", { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await answer(data.respond_url, "{nope")).status).toBe(400);
    expect((await offerOf(leadId)).status).toBe("sent");

    const accepted = await answer(data.respond_url, { decision: "accept" });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({
      offer_id: offer.id,
      status: "accepted",
      lead: { name: "Ana Ruiz", email: "ana@lead.example", phone: "+14155550100", state: "TX", company_name: null, message: "Call after 5" },
    });
    const reused = await answer(data.reject_url, {});
    expect(reused.status).toBe(409);
    expect((await reused.json()).error).toMatchObject({ code: "conflict", status: "accepted", offer_id: offer.id });
    expect((await offerOf(leadId)).status).toBe("accepted");
    const items = await t.admin`select kind from timeline_events where lead_id = ${leadId} and kind like 'partner_%'`;
    expect(items.map((i) => i.kind)).toEqual(["partner_accepted"]);
  });

  it("takes a rejection with its reason by a POST to the reject URL, and refuses a token that opens no offer", async () => {
    const partner = await webhookPartner("Picky Partner");
    await asOwner((tx) => saveRule(tx, actor(owner, "owner"), { name: "Picky first", action: "partner", partnerIds: [partner.id] }));
    await asOwner((tx) => saveRule(tx, actor(owner, "owner"), { name: "Then a member", action: "assign", userIds: [fallback.id] }));
    const leadId = await arrive();
    await runQueue();
    const data = receiver.received[0].payload.data as { reject_url: string; respond_url: string };
    const forged = data.respond_url.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await answer(forged, { decision: "accept" })).status).toBe(404);

    const rejected = await answer(data.reject_url, { reason: "No capacity this week" });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({ status: "rejected" });
    const [d] = await t.admin`select status, reason from partner_deliveries where lead_id = ${leadId}`;
    expect(d).toEqual({ status: "rejected", reason: "No capacity this week" });
    const [lead] = await t.admin`select owner_id from leads where id = ${leadId}`;
    expect(lead.owner_id).toBe(fallback.id);
  });

  it("retries a failing endpoint, records each failure, then alerts and routes the lead on as an expiry would", async () => {
    const partner = await webhookPartner("Down Partner");
    await asOwner((tx) => saveRule(tx, actor(owner, "owner"), { name: "Down first", action: "partner", partnerIds: [partner.id] }));
    await asOwner((tx) => saveRule(tx, actor(owner, "owner"), { name: "Fallback", action: "assign", userIds: [fallback.id] }));
    receiver.behave(() => ({ status: 503, body: "maintenance" }));
    const leadId = await arrive();
    const [job] = await t.admin`select id, max_attempts from jobs where kind = 'partners.webhook' and org_id = ${owner.orgId} order by id desc limit 1`;
    expect(job.max_attempts).toBe(5);

    for (let attempt = 1; attempt < 5; attempt++) {
      expect(await runQueue()).toMatchObject({ failed: 1 });
      expect((await offerOf(leadId)).status).toBe("sent");
    }
    expect(await t.admin`select 1 from integration_alerts where org_id = ${owner.orgId} and fingerprint = ${`partners:webhook:${partner.id}`}`).toHaveLength(0);
    await runQueue();
    expect(receiver.received).toHaveLength(5);

    const [errors] = await t.admin`select count(*)::int as n from integration_errors where org_id = ${owner.orgId} and integration = 'partners' and account = ${partner.id}`;
    expect(errors.n).toBe(5);
    const [health] = await t.admin`select last_error from integration_health where org_id = ${owner.orgId} and integration = 'partners' and account = ${partner.id}`;
    expect(health.last_error).toBe("http_error: HTTP 503");
    const alerts = await t.admin`select severity, title, detail from integration_alerts where org_id = ${owner.orgId} and fingerprint = ${`partners:webhook:${partner.id}`}`;
    expect(alerts).toEqual([
      { severity: "critical", title: "Partner webhook failing: Down Partner", detail: expect.stringContaining("The lead was routed on.") },
    ]);
    const card = (await asOwner((tx) => integrationOverview(tx))).find((i) => i.key === "partners");
    expect(card).toMatchObject({ status: "failing", open_alerts: 1 });
    expect(card?.accounts).toContainEqual(expect.objectContaining({ name: "Down Partner", last_error: "http_error: HTTP 503", errors_24h: 5 }));
    const attempts = await t.admin`select outcome from job_attempts where job_id = ${job.id} order by id`;
    expect(attempts.map((a) => a.outcome)).toEqual(["failed", "failed", "failed", "failed", "succeeded"]);
    expect(await t.admin`select 1 from integration_alerts where org_id = ${owner.orgId} and fingerprint = 'jobs:dead:partners.webhook'`).toHaveLength(0);

    expect((await offerOf(leadId)).status).toBe("failed");
    const [lead] = await t.admin`select owner_id, status from leads where id = ${leadId}`;
    expect(lead).toEqual({ owner_id: fallback.id, status: "routed" });
    const kinds = await t.admin`select kind from timeline_events where lead_id = ${leadId} and kind in ('routed', 'partner_failed') order by id`;
    expect(kinds.map((k) => k.kind)).toEqual(["routed", "partner_failed", "routed"]);
    const told = await t.admin`select title from notifications where type = 'partner_responded' and link = ${`/leads/${leadId}`}`;
    expect(told).toEqual([{ title: "Down Partner could not be reached for Ana Ruiz" }]);

    // The endpoint works again: the next offer it takes resolves the alert.
    receiver.behave(() => ({ status: 200, body: "ok" }));
    const next = await arrive({ first_name: "Ben" });
    await runQueue();
    expect((await offerOf(next)).webhook_delivered_at).not.toBeNull();
    const [alert] = await t.admin`select status from integration_alerts where org_id = ${owner.orgId} and fingerprint = ${`partners:webhook:${partner.id}`}`;
    expect(alert.status).toBe("resolved");
  });

  it("keeps an offer that also went by email open when its webhook gives up", async () => {
    const partner = await webhookPartner("Both Ways", "both");
    await asOwner((tx) => saveRule(tx, actor(owner, "owner"), { name: "Both", action: "partner", partnerIds: [partner.id] }));
    receiver.behave(() => "reset");
    const leadId = await arrive();
    for (let attempt = 1; attempt <= 5; attempt++) await runQueue();
    expect((await offerOf(leadId)).status).toBe("sent");
    const [mail] = await t.admin`select to_address from local_dev.mailbox where tag = 'partner_offer' order by id desc limit 1`;
    expect(mail.to_address).toBe("both-ways@partner.example");
    const [alert] = await t.admin`select detail from integration_alerts where org_id = ${owner.orgId} and fingerprint = ${`partners:webhook:${partner.id}`}`;
    expect(alert.detail).toContain("connection_reset");
    expect(alert.detail).toContain("The offer still stands by email.");
  });
});

describe("isolation", () => {
  it("shows another org nothing of a partner's webhook, and members never reach its functions", async () => {
    await webhookPartner("Private Partner");
    const seen = await t.db.asUser(other.claims, (tx) => tx.selectFrom("partners").select(["name", "webhook_url"]).execute());
    expect(seen).toEqual([]);
    const secrets = await t.db.asUser(other.claims, (tx) => tx.selectFrom("org_secrets").select("purpose").execute());
    expect(secrets).toEqual([]);
    const [d] = await t.admin`select id from partner_deliveries where org_id = ${owner.orgId} limit 1`;
    for (const call of [
      `select private.partner_webhook_result('${d.id}', '${owner.orgId}', false, 'x', true)`,
      `select private.partner_webhook_sending('${d.id}', '${owner.orgId}', '\\x00')`,
    ]) {
      await expect(t.db.asUser(owner.claims, (tx) => sql.raw(call).execute(tx))).rejects.toThrow(/permission denied/);
    }
  });
});
