// The demo organization's connected Meta page, made at start-up rather than
// in supabase/seed.sql: its token has to be sealed with the key-encryption
// key, which lives outside the database (.data/secret-keys) and which SQL
// never sees. Done once per database (recorded in seed_files like the
// seed), so a page the demo owner disconnects stays disconnected. The demo
// ad account likewise, under its own mark, so a database made before it
// existed gets it too; connecting it queues its 30-day import, which the
// jobs function runs as soon as it starts.
import postgres from "postgres";
import { parseKeyring, sealSecret, secretHint } from "../../lib/crypto/envelope.ts";
import { DEMO_AD_ACCOUNT, DEMO_FORMS, DEMO_META, SURROGACY_DEMO_FORMS, SURROGACY_DEMO_META } from "./meta-graph.ts";

const MARK = "supabase/local/meta-demo.ts";
const AD_ACCOUNT_MARK = "supabase/local/meta-demo.ts#ad-account";
const SURROGACY_MARK = "supabase/local/meta-demo.ts#surrogacy";

export async function seedMetaDemo(adminUrl: string, secretKeys: string, log: (l: string) => void = () => {}): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const page = await seedDemoPage(sql, secretKeys, log);
    const ads = await seedDemoAdAccount(sql, secretKeys, log);
    const surrogacy = await seedSurrogacyDemoPage(sql, secretKeys, log);
    return page || ads || surrogacy;
  } finally {
    await sql.end();
  }
}

async function demoOrg(sql: postgres.Sql, ownerEmail = "demo@covey.local"): Promise<string | null> {
  const [org] = await sql<{ id: string }[]>`
    select m.org_id as id from public.org_members m join auth.users u on u.id = m.user_id
    where u.email = ${ownerEmail} and m.role = 'owner'`;
  return org?.id ?? null;
}

async function seedDemoAdAccount(sql: postgres.Sql, secretKeys: string, log: (l: string) => void): Promise<boolean> {
  const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${AD_ACCOUNT_MARK}`;
  if (done) return false;
  const orgId = await demoOrg(sql);
  if (!orgId) return false;
  const a = DEMO_AD_ACCOUNT;
  const purpose = `meta.ads_token:${a.accountId}`;
  const keyring = await parseKeyring(secretKeys);
  const sealed = await sealSecret(keyring, a.token, { orgId, purpose });
  await sql.begin(async (tx) => {
    const [secret] = await tx`
      insert into public.org_secrets (org_id, purpose, secret, key_id, hint)
      values (${orgId}, ${purpose}, ${sealed}, ${keyring.activeKid}, ${secretHint(a.token)})
      returning id`;
    await tx`
      insert into public.meta_ad_accounts (org_id, account_id, name, currency, time_zone, token_secret_id)
      values (${orgId}, ${a.accountId}, ${a.name}, ${a.currency}, ${a.timeZone}, ${secret.id})`;
    await tx`insert into supabase_migrations.seed_files (path, hash) values (${AD_ACCOUNT_MARK}, 'start-up')`;
  });
  log("demo Meta ad account connected");
  return true;
}

async function seedDemoPage(sql: postgres.Sql, secretKeys: string, log: (l: string) => void): Promise<boolean> {
  const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${MARK}`;
  if (done) return false;
  const orgId = await demoOrg(sql);
  if (!orgId) return false;
  const purpose = `meta.page_token:${DEMO_META.pageId}`;
  const keyring = await parseKeyring(secretKeys);
  const sealed = await sealSecret(keyring, DEMO_META.token, { orgId, purpose });
  await sql.begin(async (tx) => {
    const [secret] = await tx`
      insert into public.org_secrets (org_id, purpose, secret, key_id, hint)
      values (${orgId}, ${purpose}, ${sealed}, ${keyring.activeKid}, ${secretHint(DEMO_META.token)})
      returning id`;
    const [page] = await tx`
      insert into public.meta_pages (org_id, page_id, name, token_secret_id, token_status, token_checked_at)
      values (${orgId}, ${DEMO_META.pageId}, ${DEMO_META.pageName}, ${secret.id}, 'valid', now())
      returning id`;
    for (const form of DEMO_FORMS) {
      const questions = form.questions.map(({ key, label, type }) => ({ key, label, type }));
      await tx`
        insert into public.meta_lead_forms (org_id, page_id, form_id, name, status, questions, creates_leads, field_mapping)
        values (${orgId}, ${page.id}, ${form.id}, ${form.name}, ${form.status}, ${tx.json(questions)},
                ${form.id === DEMO_META.formId}, ${tx.json(form.id === DEMO_META.formId ? { how_did_you_hear: "message" } : {})})`;
    }
    await tx`insert into supabase_migrations.seed_files (path, hash) values (${MARK}, 'start-up')`;
  });
  log("demo Meta page connected");
  return true;
}

/**
 * The surrogacy demo org's page, its form creating leads (which its
 * template makes cases) and a Conversions API dataset, so a case moved to
 * Qualified is reported to the stand-in.
 */
async function seedSurrogacyDemoPage(sql: postgres.Sql, secretKeys: string, log: (l: string) => void): Promise<boolean> {
  const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${SURROGACY_MARK}`;
  if (done) return false;
  const m = SURROGACY_DEMO_META;
  const orgId = await demoOrg(sql, m.ownerEmail);
  if (!orgId) return false;
  const purpose = `meta.page_token:${m.pageId}`;
  const keyring = await parseKeyring(secretKeys);
  const sealed = await sealSecret(keyring, m.token, { orgId, purpose });
  await sql.begin(async (tx) => {
    const [secret] = await tx`
      insert into public.org_secrets (org_id, purpose, secret, key_id, hint)
      values (${orgId}, ${purpose}, ${sealed}, ${keyring.activeKid}, ${secretHint(m.token)})
      returning id`;
    const [page] = await tx`
      insert into public.meta_pages (org_id, page_id, name, token_secret_id, token_status, token_checked_at, conversions_dataset_id)
      values (${orgId}, ${m.pageId}, ${m.pageName}, ${secret.id}, 'valid', now(), ${m.datasetId})
      returning id`;
    for (const form of SURROGACY_DEMO_FORMS) {
      const questions = form.questions.map(({ key, label, type }) => ({ key, label, type }));
      await tx`
        insert into public.meta_lead_forms (org_id, page_id, form_id, name, status, questions, creates_leads)
        values (${orgId}, ${page.id}, ${form.id}, ${form.name}, ${form.status}, ${tx.json(questions)}, true)`;
    }
    await tx`insert into supabase_migrations.seed_files (path, hash) values (${SURROGACY_MARK}, 'start-up')`;
  });
  log("surrogacy demo Meta page connected");
  return true;
}
