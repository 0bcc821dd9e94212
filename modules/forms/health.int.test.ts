// Web form submissions record the forms' health, so Settings → Integrations
// shows each form's last accepted submission and the submissions Covey
// failed to store; spam and a visitor's mistakes are not the integration's.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { integrationOverview } from "@/modules/integrations";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { receiveSubmission } from "./endpoint";
import { issueFillToken } from "./token";

const t = useTestDatabase();
const SITE = "https://shop.example";
const FIELDS = [
  { name: "first_name", label: "First name", type: "text", required: true, maps_to: "first_name" },
  { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
];

let owner: TestUser;
beforeAll(async () => {
  owner = await createUser(t, { orgName: "Healthy Forms" });
  // A lead the database cannot store for a reason no field explains: an outage, a bug.
  await t.admin.unsafe(`
    create function public.test_refuse_lead() returns trigger language plpgsql as $$
    begin
      if new.first_name = 'Unstorable' then raise exception 'disk full' using errcode = '53100'; end if;
      return new;
    end $$;
    create trigger test_refuse_lead before insert on public.leads for each row execute function public.test_refuse_lead();`);
});

async function makeForm(name: string) {
  const [f] = await t.admin`
    insert into web_forms (org_id, name, fields, allowed_origins, min_fill_seconds)
    values (${owner.orgId}, ${name}, ${t.admin.json(FIELDS)}, ${[SITE]}, 3)
    returning id, key, secret`;
  return f as { id: string; key: string; secret: string };
}

let ip = 0;
async function submit(f: { key: string; secret: string }, body: Record<string, string>) {
  const token = await issueFillToken(f.secret, f.key, Date.now() - 60_000);
  return receiveSubmission(
    new Request(`http://localhost:3000/f/${f.key}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", origin: SITE, "x-forwarded-for": `203.0.113.${++ip}` },
      body: JSON.stringify({ _covey_t: token, ...body }),
    }),
    f.key,
  );
}

const healthOf = async (key: string) =>
  (await t.admin`select last_success_at, last_error_at, last_error from integration_health
                 where org_id = ${owner.orgId} and integration = 'web_forms' and account = ${key}`)[0];

describe("web form health", () => {
  it("records an accepted submission as the form's last success, and nothing for spam or a visitor's mistakes", async () => {
    const f = await makeForm("Contact us");
    expect((await submit(f, { first_name: "Bot", email: "bot@example.test", website_url: "http://spam.example" })).status).toBe(200);
    expect((await submit(f, { first_name: "Ada", email: "not-an-email" })).status).toBe(422);
    expect(await healthOf(f.key)).toBeUndefined();

    expect((await submit(f, { first_name: "Ada", email: `ada-${randomUUID().slice(0, 6)}@example.test` })).status).toBe(200);
    const h = await healthOf(f.key);
    expect(h).toMatchObject({ last_error_at: null, last_error: null });
    expect(h.last_success_at).toBeInstanceOf(Date);
  });

  it("records a submission it failed to store as an error in our words, and Settings → Integrations shows it by form", async () => {
    const f = await makeForm("Quote request");
    const res = await submit(f, { first_name: "Unstorable", email: "grace@example.test" });
    expect(res.status).toBe(500);
    const h = await healthOf(f.key);
    expect(h).toMatchObject({ last_success_at: null, last_error: "A submission could not be stored; the visitor was asked to try again." });
    expect(h.last_error).not.toMatch(/disk full|grace@/);
    expect(await t.admin`select outcome from web_form_submissions where form_id = ${f.id}`).toHaveLength(0);

    const overview = await t.db.asUser(owner.claims, (tx) => integrationOverview(tx));
    const forms = overview.find((i) => i.key === "web_forms")!;
    expect(forms).toMatchObject({ status: "failing", errors_24h: 1, configuration: "configured" });
    expect(forms.accounts.find((a) => a.account === f.key)).toMatchObject({
      name: "Quote request",
      errors_24h: 1,
      last_error: "A submission could not be stored; the visitor was asked to try again.",
    });

    // Working again: the form's success is newer than its error.
    expect((await submit(f, { first_name: "Grace", email: `grace-${randomUUID().slice(0, 6)}@example.test` })).status).toBe(200);
    const later = (await t.db.asUser(owner.claims, (tx) => integrationOverview(tx))).find((i) => i.key === "web_forms")!;
    expect(later.accounts.find((a) => a.account === f.key)?.last_success_at).not.toBeNull();
  });
});
