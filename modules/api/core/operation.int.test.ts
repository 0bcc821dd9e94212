import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sql } from "@/lib/db";
import { buildOpenApiDocument } from "@/modules/api/core/openapi";
import { defineOperation, MAX_BODY_BYTES } from "@/modules/api/core/operation";
import { createApiKey, revokeApiKey } from "@/modules/api/keys/service";
import { getMe } from "@/modules/api/resources/me";
import { callApi, callOperation, createTestKey } from "@/tests/support/api";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

// A write operation built like the resources are, to exercise bodies and
// idempotency through the real wrapper.
const createProbe = defineOperation({
  id: "createProbe",
  method: "post",
  path: "/probes",
  tag: "Probes",
  summary: "probe",
  scope: "people:write",
  status: 201,
  idempotent: true,
  body: z.object({ first_name: z.string().min(1, "Enter a first name"), email: z.email().optional() }),
  async handle({ tx, actor, body }) {
    const row = await tx
      .insertInto("people")
      .values({ org_id: actor.orgId, first_name: body.first_name, email: body.email ?? null })
      .returning(["id", "first_name", "created_by"])
      .executeTakeFirstOrThrow();
    return row;
  },
});

let owner: TestUser;
let other: TestUser;
let token: string;
let keyId: string;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Key Org" });
  other = await createUser(t, { orgName: "Other Org" });
  const key = await createTestKey(t, owner, ["people:read", "people:write"]);
  token = key.token;
  keyId = key.id;
});

describe("API key authentication", () => {
  it("answers who the key is, with its org and scopes", async () => {
    const r = await callApi(getMe, { token });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      object: "api_key",
      id: keyId,
      org: { id: owner.orgId, name: "Key Org" },
      member: { id: owner.id, role: "owner" },
      scopes: ["people:read", "people:write"],
    });
    expect(r.headers.get("x-request-id")).toBeTruthy();
  });

  it("stores only a hash and a visible prefix", async () => {
    const [row] = await t.admin`select prefix, secret_hash, encode(sha256(convert_to(${token}, 'UTF8')), 'hex') as expected,
                                       encode(secret_hash, 'hex') as actual from api_keys where id = ${keyId}`;
    expect(token.startsWith(`${row.prefix}_`)).toBe(true);
    expect(row.actual).toBe(row.expected);
    const [{ n }] = await t.admin`select count(*)::int as n from api_keys where position(${token} in prefix) > 0`;
    expect(n).toBe(0);
  });

  it.each([
    ["missing", null, /Authorization/],
    ["not bearer", "Basic abc", /Bearer/],
    ["malformed", "covey_nope", /Malformed/],
    ["unknown", "covey_abcdefgh_" + "x".repeat(43), /Unknown/],
  ])("refuses a %s key with 401", async (_, value, message) => {
    const r = await callApi(getMe, {
      token: null,
      headers: value === null ? {} : { authorization: value.startsWith("Basic") ? value : `Bearer ${value}` },
    });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: "unauthorized" });
    expect(r.body.error.message).toMatch(message);
    expect(r.body.error.request_id).toBeTruthy();
  });

  it("refuses a revoked key at once, and an expired one", async () => {
    const k = await createTestKey(t, owner, ["people:read"]);
    expect((await callApi(getMe, { token: k.token })).status).toBe(200);
    await t.db.asUser(owner.claims, (tx) => revokeApiKey(tx, { userId: owner.id }, k.id));
    const r = await callApi(getMe, { token: k.token });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/revoked/);

    const e = await createTestKey(t, owner, ["people:read"]);
    await t.admin`update api_keys set expires_at = now() - interval '1 second' where id = ${e.id}`;
    expect((await callApi(getMe, { token: e.token })).body.error.message).toMatch(/expired/);
  });

  it("stops working when its member leaves the org", async () => {
    const admin = await createMember(t, owner.orgId, "admin");
    const k = await createTestKey(t, admin, ["people:read"]);
    expect((await callApi(getMe, { token: k.token })).status).toBe(200);
    await t.admin`delete from org_members where user_id = ${admin.id}`;
    expect((await callApi(getMe, { token: k.token })).status).toBe(401);
  });

  it("marks the key used", async () => {
    await t.admin`update api_keys set last_used_at = null where id = ${keyId}`;
    await callApi(getMe, { token });
    const [row] = await t.admin`select last_used_at from api_keys where id = ${keyId}`;
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it("only owners and admins create keys, never through a key", async () => {
    const member = await createMember(t, owner.orgId, "member");
    await expect(
      t.db.asUser(member.claims, (tx) =>
        createApiKey(tx, { orgId: owner.orgId, userId: member.id }, { name: "Nope", scopes: ["people:read"] }),
      ),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(
      t.db.asApiKey(token, (tx, claims) =>
        createApiKey(tx, { orgId: claims.org_id, userId: claims.sub }, { name: "Minted", scopes: ["people:read"] }),
      ),
    ).rejects.toMatchObject({ code: "42501" });
    // Nor can a key read key rows of another org, or the hashes of its own.
    const rows = await t.db.asUser(other.claims, (tx) => tx.selectFrom("api_keys").select("id").execute());
    expect(rows).toEqual([]);
    await expect(
      t.db.asUser(owner.claims, (tx) => sql`select secret_hash from public.api_keys`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501" });
  });
});

describe("scopes, rate limits and tenancy", () => {
  it("refuses an operation outside the key's scopes with 403", async () => {
    const k = await createTestKey(t, owner, ["people:read"]);
    const r = await callOperation(createProbe, { token: k.token, body: { first_name: "Ann" } });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("people:write") });
    const [{ n }] = await t.admin`select count(*)::int as n from people where first_name = 'Ann'`;
    expect(n).toBe(0);
  });

  it("limits requests per key and says when to retry", async () => {
    const k = await createTestKey(t, owner, ["people:read"], { rateLimitPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await callApi(getMe, { token: k.token })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const r = await callApi(getMe, { token: k.token });
    expect(r.body.error.code).toBe("rate_limited");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another key of the same org has its own bucket.
    expect((await callApi(getMe, { token })).status).toBe(200);
  });

  it("writes as the key's member, in the key's org, recorded as an API key", async () => {
    const r = await callOperation(createProbe, { token, body: { first_name: "Keyed" } });
    expect(r.status).toBe(201);
    expect(r.body.created_by).toBe(owner.id);
    const [ev] = await t.admin`select actor_type, actor_id, org_id from domain_events
                               where object_id = ${r.body.id} and type = 'person.created'`;
    expect(ev).toMatchObject({ actor_type: "api_key", actor_id: owner.id, org_id: owner.orgId });
    await t.db.asApiKey(token, (tx) => tx.updateTable("people").set({ title: "Via key" }).where("id", "=", r.body.id).execute());
    const [audit] = await t.admin`select actor_type, actor_id from audit_log where record_id = ${r.body.id}::text and action = 'update'`;
    expect(audit).toMatchObject({ actor_type: "api_key", actor_id: owner.id });
  });

  it("cannot see or touch another org's rows", async () => {
    const [p] = await t.admin`insert into people (org_id, first_name) values (${other.orgId}, 'Hidden') returning id`;
    const seen = await t.db.asApiKey(token, (tx) => tx.selectFrom("people").select("id").where("id", "=", p.id).execute());
    expect(seen).toEqual([]);
    const updated = await t.db.asApiKey(token, (tx) =>
      tx.updateTable("people").set({ first_name: "Changed" }).where("id", "=", p.id).executeTakeFirst(),
    );
    expect(Number(updated.numUpdatedRows)).toBe(0);
    await expect(
      t.db.asApiKey(token, (tx) => tx.insertInto("people").values({ org_id: other.orgId, first_name: "Planted" }).execute()),
    ).rejects.toMatchObject({ code: "42501" });
  });
});

describe("request bodies", () => {
  it("refuses invalid JSON, wrong content type, unknown fields, wrong types and oversize bodies, writing nothing", async () => {
    const before = (await t.admin`select count(*)::int as n from people`)[0].n;
    const bad = await callOperation(createProbe, { token, body: '{"first_name": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_json");

    const form = await callOperation(createProbe, { token, body: "first_name=x", headers: { "content-type": "text/plain" } });
    expect(form.status).toBe(415);

    const unknown = await callOperation(createProbe, { token, body: { first_name: "A", nickname: "B" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual({ nickname: ["Unknown field `nickname`"] });

    const typed = await callOperation(createProbe, { token, body: { first_name: 7, email: "nope" } });
    expect(typed.status).toBe(422);
    expect(Object.keys(typed.body.error.details).sort()).toEqual(["email", "first_name"]);

    const array = await callOperation(createProbe, { token, body: [1, 2] });
    expect(array.status).toBe(422);

    const huge = await callOperation(createProbe, { token, body: { first_name: "x".repeat(MAX_BODY_BYTES) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("payload_too_large");

    expect((await t.admin`select count(*)::int as n from people`)[0].n).toBe(before);
  });

  it("returns the first result for a repeated Idempotency-Key, and refuses the key for another body", async () => {
    const headers = { "idempotency-key": "create-ida-1" };
    const first = await callOperation(createProbe, { token, body: { first_name: "Ida" }, headers });
    const again = await callOperation(createProbe, { token, body: { first_name: "Ida" }, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [{ n }] = await t.admin`select count(*)::int as n from people where first_name = 'Ida'`;
    expect(n).toBe(1);

    const other = await callOperation(createProbe, { token, body: { first_name: "Ivo" }, headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("idempotency_key_reused");

    // Concurrent repeats create once.
    const h2 = { "idempotency-key": "create-jo-1" };
    const replies = await Promise.all([1, 2, 3].map(() => callOperation(createProbe, { token, body: { first_name: "Jo" }, headers: h2 })));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect((await t.admin`select count(*)::int as n from people where first_name = 'Jo'`)[0].n).toBe(1);
  });

  it("lets a failed request be retried with the same key", async () => {
    const headers = { "idempotency-key": "retry-1" };
    const failed = await callOperation(createProbe, { token, body: { first_name: "" }, headers });
    expect(failed.status).toBe(422);
    const ok = await callOperation(createProbe, { token, body: { first_name: "Retried" }, headers });
    expect(ok.status).toBe(201);
  });
});

describe("OpenAPI document", () => {
  it("describes operations from their zod schemas", () => {
    const doc = buildOpenApiDocument([getMe, createProbe], { serverUrl: "http://localhost/api/v1", version: "1" });
    expect(doc.openapi).toBe("3.1.0");
    const post = (doc.paths["/probes"] as any).post;
    expect(post.requestBody.content["application/json"].schema.properties.first_name).toMatchObject({ type: "string" });
    expect(post.parameters.map((p: { name: string }) => p.name)).toContain("Idempotency-Key");
    expect(post.responses["422"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    expect((doc.paths["/me"] as any).get.responses["200"].content["application/json"].schema.properties.scopes).toBeTruthy();
  });
});
