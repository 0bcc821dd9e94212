// The demo webhook partner of the embedded runtime: seeded once with its
// secret sealed and a Washington rule first in line, its offers reach the
// partner stand-in, which verifies them with `standardwebhooks`, refuses a
// forged one, and answers through the offer's link as a partner's system
// would, served here by the app's own answer handler.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import * as undici from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { answerOfferRequest } from "@/modules/routing";
import { pinnedFetch, type Undici } from "@/modules/webhooks/pinned-fetch";
import { handlers } from "@/supabase/functions/jobs/handlers";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { seedPartnerDemo } from "./partner-demo";
import { createPartnerStandIn } from "./partner-stand-in";

const t = useTestDatabase();
const keySpec = generateKeySpec("k1");
const send = pinnedFetch(undici as unknown as Undici);
const standIn = createPartnerStandIn();
let demo: TestUser;
let service: postgres.Sql;
let server: Server;
let base: string;

// One loopback server plays both the local API (the stand-in) and the app (the offer's link).
beforeAll(async () => {
  demo = await createUser(t, { email: "demo@covey.local", orgName: "Covey Demo" });
  service = postgres(t.appUrl, { max: 4, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`${base}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]),
      body: req.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    const token = /^\/p\/([^/?]+)/.exec(req.url ?? "")?.[1];
    const answer = token ? await answerOfferRequest(request, token, () => {}) : await standIn.handle(request);
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(await answer.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await service?.end();
  await send.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

const env = (name: string) => ({ APP_URL: base, COVEY_SECRET_KEYS: keySpec, COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1" })[name] ?? "";

describe("the demo webhook partner", () => {
  it("is seeded once, first in line for Washington leads", async () => {
    await t.admin`insert into lead_routing_rules (org_id, name, position, action, sources) values (${demo.orgId}, 'Existing', 0, 'assign', '{}')`;
    expect(await seedPartnerDemo(t.adminUrl, keySpec, `${base}/partner-stand-in/offers`)).toBe(true);
    expect(await seedPartnerDemo(t.adminUrl, keySpec, `${base}/partner-stand-in/offers`)).toBe(false);
    const rules = await t.admin`select name, position from lead_routing_rules where org_id = ${demo.orgId} order by position`;
    expect(rules).toEqual([{ name: "Washington leads to Cascade", position: 0 }, { name: "Existing", position: 1 }]);
    const [partner] = await t.admin`select channel, webhook_url from partners where org_id = ${demo.orgId}`;
    expect(partner).toEqual({ channel: "webhook", webhook_url: `${base}/partner-stand-in/offers` });
  });

  it("receives a Washington lead's offer verified, refuses a forged one, and accepts through the offer's link", async () => {
    const [lead] = await t.admin`insert into leads (org_id, source, first_name, email, state) values (${demo.orgId}, 'web_form', 'Wren', 'wren@lead.example', 'WA') returning id`;
    await runJobs(service, handlers, { env, net: { resolve: async () => [], send }, maxRunMs: 5000 });
    expect(standIn.offers).toHaveLength(1);
    const [offer] = standIn.offers;
    expect(offer.payload.data).toMatchObject({ from: "Covey Demo", lead: { first_name: "Wren", state: "WA" } });

    const forged = await fetch(`${base}/partner-stand-in/offers`, {
      method: "POST",
      headers: { "webhook-id": "offer_x", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" },
      body: "{}",
    });
    expect(forged.status).toBe(401);
    expect(standIn.offers).toHaveLength(1);

    const answered = await fetch(`${base}/partner-stand-in/offers/${offer.webhookId}/answer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ decision: "accept" }),
    });
    expect(await answered.json()).toMatchObject({ decision: "accept", status: 200, body: { status: "accepted", lead: { email: "wren@lead.example" } } });
    const [d] = await t.admin`select status from partner_deliveries where lead_id = ${lead.id}`;
    expect(d.status).toBe("accepted");
  });
});
