// Tenant isolation, driven by the catalog: every table in `public` with an
// `org_id` column (plus `public.orgs`, keyed by `id`) is found in pg_catalog,
// audited (RLS on, policies `to authenticated` keyed on is_member_of /
// has_org_role, no grants to anon or the login role) and then attacked by the
// owner of another org through the app's own data layer. Tables added by
// later migrations are covered without editing this file; the only thing a
// new table may need is an entry in `seeds` below, and the test says so when
// it does.
import { randomBytes, randomUUID } from "node:crypto";
import postgres from "postgres";
import { sql, type RawBuilder } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createMember,
  createUser,
  useTestDatabase,
  type TestDatabase,
  type TestUser,
} from "@/tests/support/db";

// ---------------------------------------------------------------------------
// Hand-written seeds. Only needed for a tenant table that org B has no row in
// after sign-up AND that the generic seeder (see seedGeneric) cannot fill,
// e.g. because of a CHECK constraint it cannot guess. Key: table name in
// `public`. Insert at least one row belonging to `orgId` through `admin`
// (superuser: RLS does not apply). Example:
//
//   deals: ({ admin, orgId, ownerId }) =>
//     admin`insert into deals (org_id, title, stage, owner_id)
//           values (${orgId}, 'Isolation probe', 'won', ${ownerId})`,
// ---------------------------------------------------------------------------
interface SeedContext {
  admin: postgres.Sql;
  /** Org B, the org being attacked. */
  orgId: string;
  /** auth.users id of org B's owner. */
  ownerId: string;
}
// Matching pairs the org's own pipeline with a second one; a match of a deal
// of each brings its status history. Whichever matching table comes first
// seeds them all.
async function seedMatching({ admin, orgId }: SeedContext) {
  const [had] = await admin`select 1 from matches where org_id = ${orgId}`;
  if (had) return;
  const [left] = await admin`select s.pipeline_id, s.id from pipeline_stages s where s.org_id = ${orgId} order by s.position limit 1`;
  const [right] = await admin`with p as (insert into pipelines (org_id, name) values (${orgId}, 'Probe partners') returning id)
                              insert into pipeline_stages (org_id, pipeline_id, name) select ${orgId}, p.id, 'Probe' from p returning id, pipeline_id`;
  const [setting] = await admin`insert into match_settings (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label)
                                values (${orgId}, ${left.pipeline_id}, ${right.pipeline_id}, 'Left', 'Right') returning id`;
  await admin`insert into match_criteria (org_id, setting_id, label, left_field, left_term, operator, right_field, right_term)
              values (${orgId}, ${setting.id}, 'Probe', 'person.state', 'Lives in', 'in', 'custom.states', 'accepts')`;
  const deals = await admin`insert into deals (org_id, name, pipeline_id, stage_id, currency)
                            values (${orgId}, 'Match probe', ${left.pipeline_id}, ${left.id}, 'USD'),
                                   (${orgId}, 'Match probe partner', ${right.pipeline_id}, ${right.id}, 'USD') returning id`;
  await admin`insert into matches (org_id, left_deal_id, right_deal_id) values (${orgId}, ${deals[0].id}, ${deals[1].id})`;
}

const seeds: Record<string, (ctx: SeedContext) => Promise<unknown>> = {
  match_settings: seedMatching,
  match_criteria: seedMatching,
  matches: seedMatching,
  match_status_history: seedMatching,
  // A person needs a name or an email (a CHECK the seeder cannot satisfy).
  people: ({ admin, orgId, ownerId }) =>
    admin`insert into people (org_id, first_name, last_name, email, owner_id)
          values (${orgId}, 'Isolation', 'Probe', 'probe@b.example', ${ownerId})`,
  // Deals live in a stage of the org's own pipeline (created with the org).
  deals: ({ admin, orgId }) =>
    admin`insert into deals (org_id, name, pipeline_id, stage_id, currency)
          select ${orgId}, 'Isolation probe', s.pipeline_id, s.id, 'USD'
          from pipeline_stages s where s.org_id = ${orgId} order by s.position limit 1`,
  // A lead needs a name, an email or a phone (a CHECK the seeder cannot satisfy).
  leads: ({ admin, orgId, ownerId }) =>
    admin`insert into leads (org_id, source, first_name, email, owner_id)
          values (${orgId}, 'web_form', 'Isolation', 'lead-probe@b.example', ${ownerId})`,
  // A note belongs to exactly one record.
  notes: ({ admin, orgId, ownerId }) =>
    admin`with p as (insert into people (org_id, first_name) values (${orgId}, 'Note probe') returning id)
          insert into notes (org_id, body_html, body_text, author_id, person_id)
          select ${orgId}, '<p>probe</p>', 'probe', ${ownerId}, p.id from p`,
  // Staged CSV rows belong to an import and hold a JSON array of rows.
  import_rows: ({ admin, orgId, ownerId }) =>
    admin`with i as (insert into imports (org_id, object_type, file_name, file_size, headers, row_count, created_by)
                     values (${orgId}, 'person', 'probe.csv', 10, '{Name}', 1, ${ownerId}) returning id)
          insert into import_rows (import_id, org_id, batch, rows, row_numbers)
          select i.id, ${orgId}, 0, '[["Probe"]]', '{2}' from i`,
  saved_views: ({ admin, orgId, ownerId }) =>
    admin`insert into saved_views (org_id, object_type, name, owner_id, shared)
          values (${orgId}, 'person', 'Probe view', ${ownerId}, true)`,
  // A key has a token-shaped prefix and a 32-byte hash; its idempotency row hangs off it.
  api_keys: async ({ admin, orgId, ownerId }) => {
    const [k] = await admin`insert into api_keys (org_id, name, prefix, secret_hash, scopes, created_by)
                            values (${orgId}, 'Probe key', 'covey_' || substr(md5(random()::text), 1, 8),
                                    sha256('probe'), '{people:read}', ${ownerId}) returning id`;
    await admin`insert into api_idempotency_keys (org_id, api_key_id, key, method, path, request_hash)
                values (${orgId}, ${k.id}, 'probe', 'POST', '/api/v1/people', sha256('probe'))`;
  },
  // A rule's member is a user or a partner, never both.
  routing_rule_members: ({ admin, orgId, ownerId }) =>
    admin`with r as (insert into lead_routing_rules (org_id, name, position, action)
                     values (${orgId}, 'Probe rule', 0, 'assign') returning id)
          insert into routing_rule_members (org_id, rule_id, user_id, position)
          select ${orgId}, r.id, ${ownerId}, 0 from r`,
  // A dismissed pair is two people of the org, lower id first.
  duplicate_dismissals: ({ admin, orgId }) =>
    admin`with p as (insert into people (org_id, first_name) values (${orgId}, 'Pair probe'), (${orgId}, 'Pair probe')
                     returning id)
          insert into duplicate_dismissals (org_id, person_a_id, person_b_id)
          select ${orgId}, min(id::text)::uuid, max(id::text)::uuid from p`,
  // A notification's type is one of the registry's (a CHECK the seeder cannot guess).
  notifications: ({ admin, orgId, ownerId }) =>
    admin`insert into notifications (org_id, user_id, type, title, link, dedupe_key)
          values (${orgId}, ${ownerId}, 'lead_assigned', 'Isolation probe', '/people', 'probe')`,
  notification_settings: ({ admin, orgId, ownerId }) =>
    admin`insert into notification_settings (org_id, user_id, type, in_app)
          values (${orgId}, ${ownerId}, 'lead_assigned', false)`,
  // Event types must be real types or family wildcards; the person insert's
  // event gives the endpoint a delivery and an attempt to attack too.
  webhook_endpoints: async ({ admin, orgId }) => {
    await admin`insert into webhook_endpoints (org_id, url, event_types)
                values (${orgId}, 'https://hooks.b.example/covey', '{person.*}')`;
    await admin`insert into people (org_id, first_name) values (${orgId}, 'Webhook probe')`;
    await admin`insert into webhook_attempts (org_id, delivery_id, endpoint_id, attempt, started_at, duration_ms)
                select org_id, id, endpoint_id, 1, now(), 5 from webhook_deliveries where org_id = ${orgId}`;
  },
  // A sealed secret names its key id in its second part (a CHECK ties them).
  org_secrets: ({ admin, orgId }) =>
    admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
          values (${orgId}, 'probe.token', 'v1.k1.aaaa.bbbb.cccc.dddd', 'k1', 'dddd')`,
  // A form's fields are a checked list; its submission log hangs off it.
  web_forms: async ({ admin, orgId }) => {
    const fields = [{ name: "email", label: "Email", type: "email", required: true, maps_to: "email" }];
    const [f] = await admin`insert into web_forms (org_id, name, fields) values (${orgId}, 'Probe form', ${admin.json(fields)})
                            returning id`;
    await admin`insert into web_form_submissions (org_id, form_id, outcome, spam_reason)
                values (${orgId}, ${f.id}, 'spam', 'honeypot')`;
  },
  // A connected page holds numeric Graph ids (unique across orgs) and its token as an org secret; a form hangs off it.
  meta_pages: (ctx) => seedMetaPage(ctx),
  meta_lead_forms: (ctx) => seedMetaPage(ctx),
  meta_conversion_events: async (ctx) => {
    await seedMetaPage(ctx);
    await ctx.admin`insert into meta_conversion_events (org_id, lead_id, page_id, event_name, event_id, dataset_id, status)
                    select ${ctx.orgId}, null, id, 'won', 'probe:won', '555', 'sent'
                    from meta_pages where org_id = ${ctx.orgId} limit 1`;
  },
  // An ad account holds its token as an org secret; its spend hangs off it.
  meta_ad_accounts: (ctx) => seedAdSpend(ctx),
  meta_ad_spend: (ctx) => seedAdSpend(ctx),
  // A Gmail address is connected once across orgs; the mailbox belongs to a member.
  gmail_mailboxes: ({ admin, orgId, ownerId }) =>
    admin`insert into gmail_mailboxes (org_id, user_id, email) values (${orgId}, ${ownerId}, ${`probe-${orgId}@gmail.com`})`,
  // Twilio SIDs and E.164 numbers are shaped (CHECKs), and numbers unique across orgs.
  twilio_accounts: ({ admin, orgId }) =>
    admin`with s as (insert into org_secrets (org_id, purpose, secret, key_id, hint)
                     values (${orgId}, 'twilio.auth_token', 'v1.k1.aaaa.bbbb.cccc.dddd', 'k1', 'dddd') returning id)
          insert into twilio_accounts (org_id, account_sid, auth_token_secret_id)
          select ${orgId}, 'AC' || md5(random()::text), s.id from s`,
  phones: ({ admin, orgId }) =>
    admin`insert into phones (org_id, number) values (${orgId}, '+1512' || lpad(floor(random() * 1e7)::text, 7, '0'))`,
  // A text is on a record and its SID is shaped; an inbound STOP opts its sender out.
  sms_messages: ({ admin, orgId }) =>
    admin`with p as (insert into people (org_id, first_name) values (${orgId}, 'Text probe') returning id)
          select private.sms_receive(${orgId}, null, 'SM' || md5(random()::text), '+15125550100', '+14155550123', 'STOP',
                                     '{}', 1, p.id, null) from p`,
  sms_opt_outs: ({ admin, orgId }) =>
    admin`insert into sms_opt_outs (org_id, org_number, contact_number, opted_out, keyword)
          values (${orgId}, '+15125550100', '+14155550124', true, 'STOP')`,
  // A call is on a person or lead; a logged one has an outcome.
  calls: ({ admin, orgId }) =>
    admin`with p as (insert into people (org_id, first_name) values (${orgId}, 'Call probe') returning id)
          insert into calls (org_id, direction, source, status, outcome, person_id)
          select ${orgId}, 'inbound', 'manual', 'completed', 'connected', p.id from p`,
};

function seedAdSpend({ admin, orgId }: SeedContext) {
  return admin`with s as (insert into org_secrets (org_id, purpose, secret, key_id, hint)
                     values (${orgId}, 'meta.ads_token:probe', 'v1.k1.aaaa.bbbb.cccc.dddd', 'k1', 'dddd') returning id),
               a as (insert into meta_ad_accounts (org_id, account_id, name, currency, time_zone, token_secret_id)
                     select ${orgId}, 'act_' || (1e12 + floor(random() * 1e12))::bigint, 'Probe ads', 'USD', 'UTC', s.id from s returning id)
          insert into meta_ad_spend (org_id, ad_account_id, campaign_id, date, spend)
          select ${orgId}, a.id, '120000000000001', current_date, 12.5 from a`;
}

function seedMetaPage({ admin, orgId }: SeedContext) {
  return admin`with s as (insert into org_secrets (org_id, purpose, secret, key_id, hint)
                     values (${orgId}, 'meta.page_token:probe', 'v1.k1.aaaa.bbbb.cccc.dddd', 'k1', 'dddd') returning id),
               p as (insert into meta_pages (org_id, page_id, name, token_secret_id)
                     select ${orgId}, (1e12 + floor(random() * 1e12))::bigint::text, 'Probe page', s.id from s returning id)
          insert into meta_lead_forms (org_id, page_id, form_id, name)
          select ${orgId}, p.id, (1e12 + floor(random() * 1e12))::bigint::text, 'Probe form' from p`;
}

// Stand-ins for tables later migrations will add. They exist only in this
// file's database and have no rows for org B until the generic seeder makes
// them, so the seeder (FKs to tenant rows and auth.users, a composite
// tenant-consistent FK, enums, CHECK lists, citext, arrays, jsonb...) runs on
// every test run instead of only on the day a new table arrives.
const FIXTURE_TABLES = ["iso_probe_activities", "iso_probe_deals"];
const FIXTURE_SQL = `
  create type public.iso_probe_stage as enum ('lead', 'won', 'lost');
  create table public.iso_probe_deals (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references public.orgs (id) on delete cascade,
    owner_id uuid not null references auth.users (id),
    member_id uuid not null references public.org_members (id),
    stage public.iso_probe_stage not null,
    kind text not null check (kind in ('call', 'email')),
    title text not null check (length(title) between 1 and 200),
    contact_email extensions.citext not null,
    external_ref text not null unique,
    amount numeric(12, 2) not null,
    position int not null,
    closed boolean not null,
    due_at timestamptz not null,
    due_on date not null,
    meta jsonb not null,
    tags text[] not null,
    note text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (org_id, id)
  );
  create table public.iso_probe_activities (
    id bigint generated always as identity primary key,
    org_id uuid not null references public.orgs (id) on delete cascade,
    deal_id uuid not null,
    body text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    foreign key (org_id, deal_id) references public.iso_probe_deals (org_id, id) on delete cascade
  );
  create index on public.iso_probe_deals (org_id);
  create index on public.iso_probe_activities (org_id);
  alter table public.iso_probe_deals enable row level security;
  alter table public.iso_probe_activities enable row level security;
  grant select, insert, update, delete on public.iso_probe_deals, public.iso_probe_activities to authenticated;
  create policy deals_select on public.iso_probe_deals for select to authenticated using (public.is_member_of(org_id));
  create policy deals_insert on public.iso_probe_deals for insert to authenticated with check (public.is_member_of(org_id));
  create policy deals_update on public.iso_probe_deals for update to authenticated
    using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
  create policy deals_delete on public.iso_probe_deals for delete to authenticated
    using (public.has_org_role(org_id, '{owner,admin}'));
  create policy activities_all on public.iso_probe_activities for all to authenticated
    using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
`;

// Deliberately broken tables in a separate schema: the self-test checks that
// the audit and the attacks below do catch leaks (so they cannot pass
// vacuously).
const LEAKY_SQL = `
  create schema iso_leaky;
  grant usage on schema iso_leaky to anon, authenticated;
  create table iso_leaky.open_notes (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references public.orgs (id) on delete cascade,
    body text not null
  );
  alter table iso_leaky.open_notes enable row level security;
  create policy open_all on iso_leaky.open_notes using (true) with check (true);
  grant all on iso_leaky.open_notes to anon, authenticated;
  create table iso_leaky.no_rls (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references public.orgs (id) on delete cascade,
    body text not null
  );
  grant select, insert, update, delete on iso_leaky.no_rls to authenticated;
  create table iso_leaky.wrong_key (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references public.orgs (id) on delete cascade,
    body text not null
  );
  alter table iso_leaky.wrong_key enable row level security;
  create policy not_keyed on iso_leaky.wrong_key for select to authenticated using (org_id is not null);
  grant select on iso_leaky.wrong_key to authenticated;
  create table iso_leaky.no_policy (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references public.orgs (id) on delete cascade
  );
  alter table iso_leaky.no_policy enable row level security;
`;

const API_ROLES = ["anon", "authenticated", "service_role", "covey_app"];
/** SQLSTATE insufficient_privilege: "permission denied" and RLS violations alike. */
const DENIED = "42501";

// ---------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------

interface Column {
  name: string;
  attnum: number;
  notNull: boolean;
  hasDefault: boolean;
  identity: string;
  generated: string;
  /** Schema-qualified type name, safe for casts whatever the search_path. */
  type: string;
  category: string;
  baseType: string;
  firstEnum: string | null;
  uniqueAlone: boolean;
  canSelect: boolean;
  canInsert: boolean;
  canUpdate: boolean;
}

interface ForeignKey {
  name: string;
  cols: string[];
  refSchema: string;
  refTable: string;
  refCols: string[];
}

interface Relation {
  oid: string;
  schema: string;
  name: string;
  /** schema.name for messages. */
  label: string;
  /** The tenancy column: `id` for public.orgs, `org_id` everywhere else (null if none). */
  orgKey: string | null;
  pk: string[];
  columns: Column[];
  fks: ForeignKey[];
  checks: { cols: number[]; def: string }[];
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

async function loadRelation(admin: postgres.Sql, oid: string): Promise<Relation> {
  const [rel] = await admin.unsafe(
    `select n.nspname::text as schema, c.relname::text as name,
            case when c.oid = 'public.orgs'::regclass then 'id'
                 when exists (select 1 from pg_attribute a
                              where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped) then 'org_id'
            end as org_key,
            array(select a.attname::text
                  from pg_index i
                  cross join unnest(i.indkey) with ordinality k(attnum, ord)
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                  where i.indrelid = c.oid and i.indisprimary order by k.ord) as pk
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.oid = $1::oid`,
    [oid],
  );
  const columns = await admin.unsafe(
    `select a.attname::text as name, a.attnum::int as attnum, a.attnotnull as not_null,
            a.atthasdef as has_default, a.attidentity::text as identity, a.attgenerated::text as generated,
            format('%I.%I', tn.nspname, t.typname) as type,
            coalesce(bt.typcategory, t.typcategory)::text as category,
            coalesce(bt.typname, t.typname)::text as base_type,
            (select e.enumlabel::text from pg_enum e
             where e.enumtypid = coalesce(bt.oid, t.oid) order by e.enumsortorder limit 1) as first_enum,
            exists (select 1 from pg_index i
                    where i.indrelid = a.attrelid and i.indisunique and i.indnatts = 1
                      and i.indkey[0] = a.attnum) as unique_alone,
            has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT') as can_select,
            has_column_privilege('authenticated', a.attrelid, a.attnum, 'INSERT') as can_insert,
            has_column_privilege('authenticated', a.attrelid, a.attnum, 'UPDATE') as can_update
     from pg_attribute a
     join pg_type t on t.oid = a.atttypid
     join pg_namespace tn on tn.oid = t.typnamespace
     left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
     where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped
     order by a.attnum`,
    [oid],
  );
  const fks = await admin.unsafe(
    `select c.conname::text as name, rn.nspname::text as ref_schema, rc.relname::text as ref_table,
            array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
                  join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols,
            array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
                  join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as ref_cols
     from pg_constraint c
     join pg_class rc on rc.oid = c.confrelid
     join pg_namespace rn on rn.oid = rc.relnamespace
     where c.conrelid = $1::oid and c.contype = 'f'
     order by c.conname`,
    [oid],
  );
  const checks = await admin.unsafe(
    `select pg_get_constraintdef(oid) as def, conkey::int[] as cols
     from pg_constraint where conrelid = $1::oid and contype = 'c'`,
    [oid],
  );
  return {
    oid,
    schema: rel.schema,
    name: rel.name,
    label: `${rel.schema}.${rel.name}`,
    orgKey: rel.org_key,
    pk: rel.pk,
    columns: columns.map((c) => ({
      name: c.name,
      attnum: c.attnum,
      notNull: c.not_null,
      hasDefault: c.has_default,
      identity: c.identity,
      generated: c.generated,
      type: c.type,
      category: c.category,
      baseType: c.base_type,
      firstEnum: c.first_enum,
      uniqueAlone: c.unique_alone,
      canSelect: c.can_select,
      canInsert: c.can_insert,
      canUpdate: c.can_update,
    })),
    fks: fks.map((f) => ({
      name: f.name,
      cols: f.cols,
      refSchema: f.ref_schema,
      refTable: f.ref_table,
      refCols: f.ref_cols,
    })),
    checks: checks.map((c) => ({ def: c.def, cols: c.cols })),
  };
}

/** Every tenant table of `schema`: tables with an org_id column, plus public.orgs. */
async function listTenantTables(admin: postgres.Sql, schema: string): Promise<Relation[]> {
  const rows = await admin.unsafe(
    `select c.oid::text as oid
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p')
       and (c.oid = 'public.orgs'::regclass
            or exists (select 1 from pg_attribute a
                       where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped))
     order by c.relname`,
    [schema],
  );
  return Promise.all(rows.map((r) => loadRelation(admin, r.oid)));
}

function column(rel: Relation, name: string): Column {
  const c = rel.columns.find((x) => x.name === name);
  if (!c) throw new Error(`${rel.label} has no column ${name}`);
  return c;
}

// ---------------------------------------------------------------------------
// Catalog audit: returns a list of problems (empty = fine).
// ---------------------------------------------------------------------------

const COMMANDS: Record<string, string> = { r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", "*": "ALL" };

function isTrivial(expr: string) {
  return /^[\s(]*true[\s)]*$/i.test(expr);
}

async function auditCatalog(admin: postgres.Sql, schema: string): Promise<string[]> {
  const problems: string[] = [];
  const tenant = await listTenantTables(admin, schema);

  for (const rel of tenant) {
    const [info] = await admin.unsafe(
      `select c.relrowsecurity as rls, pg_get_userbyid(c.relowner)::text as owner
       from pg_class c where c.oid = $1::oid`,
      [rel.oid],
    );
    if (!info.rls) problems.push(`${rel.label}: row level security is not enabled`);
    // FORCE is not needed as long as no API role owns the table (owners bypass RLS).
    if (API_ROLES.includes(info.owner)) problems.push(`${rel.label}: owned by API role ${info.owner}`);
    if (rel.pk.length === 0) problems.push(`${rel.label}: has no primary key (the isolation probe needs one)`);

    const policies = await admin.unsafe(
      `select p.polname::text as name, p.polcmd::text as cmd, p.polpermissive as permissive,
              array(select case when r = 0 then 'public' else r::regrole::text end
                    from unnest(p.polroles) r order by 1) as roles,
              pg_get_expr(p.polqual, p.polrelid) as qual,
              pg_get_expr(p.polwithcheck, p.polrelid) as with_check
       from pg_policy p where p.polrelid = $1::oid order by p.polname`,
      [rel.oid],
    );
    if (policies.length === 0) problems.push(`${rel.label}: has no policies`);
    const keyed = new RegExp(
      String.raw`\b(is_member_of|has_org_role)\(\s*(?:\w+\.)?"?${rel.orgKey}"?\s*[,)]`,
    );
    for (const p of policies) {
      const where = `${rel.label} policy ${p.name} (${COMMANDS[p.cmd] ?? p.cmd})`;
      if (p.roles.length !== 1 || p.roles[0] !== "authenticated") {
        problems.push(`${where}: applies to ${p.roles.join(", ")}, must be "to authenticated" only`);
      }
      const needsQual = p.cmd !== "a";
      const needsCheck = p.cmd === "a";
      if (needsQual && p.qual == null) problems.push(`${where}: has no USING expression`);
      if (needsCheck && p.with_check == null) problems.push(`${where}: has no WITH CHECK expression`);
      for (const [kind, expr] of [
        ["USING", p.qual],
        ["WITH CHECK", p.with_check],
      ] as const) {
        if (expr == null) continue;
        if (isTrivial(expr)) problems.push(`${where}: ${kind} (true)`);
        else if (!keyed.test(expr)) {
          problems.push(`${where}: ${kind} (${expr}) is not keyed on is_member_of/has_org_role(${rel.orgKey})`);
        }
      }
    }
  }

  // Every table in the schema, tenant or not, has RLS on (Supabase lint 0013).
  const noRls = await admin.unsafe(
    `select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relrowsecurity order by 1`,
    [schema],
  );
  for (const r of noRls) problems.push(`${schema}.${r.name}: row level security is not enabled`);

  // anon gets nothing; the login role has nothing of its own (it is NOINHERIT,
  // so has_*_privilege reflects only its own grants and PUBLIC's).
  const [{ v }] = await admin`select current_setting('server_version_num')::int as v`;
  const tablePrivs = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    .concat(v >= 170000 ? ["MAINTAIN"] : [])
    .join(", ");
  for (const role of ["anon", "covey_app"]) {
    const granted = await admin.unsafe(
      `select c.relname::text as name, c.relkind::text as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1
         and ((c.relkind in ('r', 'p', 'v', 'm', 'f')
               and (has_table_privilege($2::name, c.oid, $3::text)
                    or has_any_column_privilege($2::name, c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')))
           or (c.relkind = 'S' and has_sequence_privilege($2::name, c.oid, 'USAGE, SELECT, UPDATE')))
       order by 1`,
      [schema, role, tablePrivs],
    );
    for (const g of granted) problems.push(`${schema}.${g.name}: role ${role} has privileges on it`);
  }

  // Views with org_id must run as the caller (or be out of the API's reach);
  // materialized views cannot have RLS at all.
  const views = await admin.unsafe(
    `select c.relname::text as name, c.relkind::text as kind,
            coalesce(c.reloptions::text[] && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false) as invoker,
            has_table_privilege('authenticated', c.oid, 'SELECT') or has_any_column_privilege('authenticated', c.oid, 'SELECT') as readable
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('v', 'm')
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped)`,
    [schema],
  );
  for (const view of views) {
    if (view.kind === "v" && !view.invoker && view.readable) {
      problems.push(`${schema}.${view.name}: view readable by authenticated without security_invoker`);
    }
    if (view.kind === "m" && view.readable) {
      problems.push(`${schema}.${view.name}: materialized view (no RLS) readable by authenticated`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Finding (or making) an org's rows
// ---------------------------------------------------------------------------

interface Ctx {
  t: TestDatabase;
  /** The attacker: owner of org A. */
  a: TestUser;
  /** The victim: owner of org B. */
  b: TestUser;
}

class SeedError extends Error {}

const orgName = (ctx: Ctx, org: TestUser) => (org === ctx.a ? "org A" : "org B");

/** Primary keys (as text) of up to `limit` rows of `org` in `rel`. */
async function rowsOf(ctx: Ctx, rel: Relation, org: TestUser, limit = 3): Promise<string[][]> {
  const rows = await ctx.t.admin
    .unsafe(
      `select ${rel.pk.map((c) => `${q(c)}::text`).join(", ")}
       from ${q(rel.schema)}.${q(rel.name)}
       where ${q(rel.orgKey!)} = $1::uuid
       order by ${rel.pk.map(q).join(", ")} limit ${limit}`,
      [org.orgId],
    )
    .values();
  return rows as string[][];
}

/** `org`'s rows in `rel`, seeding one first (hand-written or generic) if there is none. */
async function ensureRows(
  ctx: Ctx,
  rel: Relation,
  org: TestUser,
  inProgress = new Set<string>(),
): Promise<string[][]> {
  let rows = await rowsOf(ctx, rel, org);
  if (rows.length) return rows;
  if (inProgress.has(rel.label)) {
    throw new SeedError(`foreign keys form a cycle through ${rel.label}`);
  }
  inProgress.add(rel.label);
  const seedKey = rel.schema === "public" ? rel.name : rel.label;
  const seed = Object.hasOwn(seeds, seedKey) ? seeds[seedKey] : undefined;
  const advice = `Add (or fix) a seed for "${seedKey}" in the \`seeds\` map at the top of tests/isolation.int.test.ts.`;
  try {
    if (seed) await seed({ admin: ctx.t.admin, orgId: org.orgId, ownerId: org.id });
    else await seedGeneric(ctx, rel, org, inProgress);
  } catch (e) {
    if (e instanceof SeedError) throw e;
    const how = seed ? `the seed for "${seedKey}" failed` : `the generic seeder could not insert a row`;
    throw new SeedError(`${rel.label} has no row for ${orgName(ctx, org)} and ${how}: ${(e as Error).message}. ${advice}`);
  } finally {
    inProgress.delete(rel.label);
  }
  rows = await rowsOf(ctx, rel, org);
  if (!rows.length) {
    throw new SeedError(`${rel.label}: seeding inserted no row with ${rel.orgKey} = ${orgName(ctx, org)}. ${advice}`);
  }
  return rows;
}

/** Values (as text) for `fk`'s referenced columns, taken from a row that belongs to `org`. */
async function referencedValues(
  ctx: Ctx,
  fk: ForeignKey,
  org: TestUser,
  inProgress: Set<string>,
): Promise<(string | null)[]> {
  const admin = ctx.t.admin;
  if (fk.refSchema === "auth" && fk.refTable === "users") {
    if (fk.refCols.length === 1 && fk.refCols[0] === "id") return [org.id];
    throw new Error(`cannot satisfy foreign key ${fk.name} to auth.users(${fk.refCols.join(", ")})`);
  }
  const [{ oid }] = await admin`select ${`${q(fk.refSchema)}.${q(fk.refTable)}`}::regclass::oid::text as oid`;
  const ref = await loadRelation(admin, oid);
  const select = `select ${fk.refCols.map((c) => `${q(c)}::text`).join(", ")} from ${q(ref.schema)}.${q(ref.name)}`;
  if (ref.orgKey) {
    await ensureRows(ctx, ref, org, inProgress);
    const [row] = await admin.unsafe(`${select} where ${q(ref.orgKey)} = $1::uuid limit 1`, [org.orgId]).values();
    return row;
  }
  const [row] = await admin.unsafe(`${select} limit 1`).values();
  if (!row) throw new Error(`foreign key ${fk.name}: ${ref.label} is empty and not tenant-scoped`);
  return row;
}

/** A literal the column's own CHECK (col = any (array[...])) allows, if there is one. */
function checkLiteral(rel: Relation, col: Column): string | null {
  for (const chk of rel.checks) {
    if (chk.cols.length !== 1 || chk.cols[0] !== col.attnum) continue;
    const m =
      /=\s*ANY\s*\(\s*(?:\(\s*)?ARRAY\[\s*'((?:[^']|'')*)'/i.exec(chk.def) ??
      /(?<![<>!])=\s*'((?:[^']|'')*)'::/.exec(chk.def);
    if (m) return m[1].replace(/''/g, "'");
  }
  return null;
}

/**
 * Inserts one row for `org` using column defaults, and for NOT NULL columns
 * without a default: the org, a row of the org that a foreign key points to
 * (seeding that table first if needed; auth.users → the org's owner), the
 * first enum label, a value the column's CHECK list allows, or a
 * type-appropriate value (text 'x', email-like 'iso@example.test', numbers 1,
 * booleans false, timestamps now(), jsonb '{}', arrays '{}').
 */
async function seedGeneric(ctx: Ctx, rel: Relation, org: TestUser, inProgress: Set<string>) {
  const values = new Map<string, { expr: string; param?: string | null }>();
  const set = (col: string, param: string | null) => values.set(col, { expr: "$", param });
  set(rel.orgKey!, org.orgId);
  const required = rel.columns.filter(
    (c) => c.notNull && !c.hasDefault && !c.identity && !c.generated && !values.has(c.name),
  );
  const requiredNames = new Set(required.map((c) => c.name));

  for (const fk of rel.fks) {
    if (!fk.cols.some((c) => requiredNames.has(c) && !values.has(c))) continue;
    const refValues = await referencedValues(ctx, fk, org, inProgress);
    fk.cols.forEach((c, i) => {
      if (!values.has(c)) set(c, refValues[i]);
    });
  }

  const rand = () => randomBytes(4).toString("hex");
  for (const col of required) {
    if (values.has(col.name)) continue;
    const literal = checkLiteral(rel, col);
    if (col.firstEnum != null) set(col.name, col.firstEnum);
    else if (literal != null) set(col.name, literal);
    else if (/email/i.test(col.name) || col.baseType === "citext") {
      set(col.name, col.uniqueAlone ? `iso-${rand()}@example.test` : "iso@example.test");
    } else if (col.baseType === "uuid") values.set(col.name, { expr: "gen_random_uuid()" });
    else if (col.baseType === "json" || col.baseType === "jsonb") set(col.name, "{}");
    else if (col.category === "A") set(col.name, "{}");
    else if (col.category === "S") set(col.name, col.uniqueAlone ? `x-${rand()}` : "x");
    else if (col.category === "N") set(col.name, "1");
    else if (col.category === "B") set(col.name, "false");
    else if (col.category === "D") values.set(col.name, { expr: "now()" });
    else if (col.category === "T") set(col.name, "1 hour");
    else if (col.category === "I") set(col.name, "127.0.0.1");
    else if (col.baseType === "bytea") set(col.name, "\\x00");
    else throw new Error(`no generic value for column ${col.name} of type ${col.type}`);
  }

  const cols: string[] = [];
  const exprs: string[] = [];
  const params: (string | null)[] = [];
  for (const [name, v] of values) {
    cols.push(q(name));
    if (v.expr === "$") {
      params.push(v.param ?? null);
      exprs.push(`cast($${params.length} as ${column(rel, name).type})`);
    } else {
      exprs.push(`cast(${v.expr} as ${column(rel, name).type})`);
    }
  }
  await ctx.t.admin.unsafe(
    `insert into ${q(rel.schema)}.${q(rel.name)} (${cols.join(", ")}) values (${exprs.join(", ")})`,
    params,
  );
}

// ---------------------------------------------------------------------------
// The attacks: org A's owner against org B's rows, through the data layer.
// ---------------------------------------------------------------------------

type Outcome = { ok: true; rows: number } | { ok: false; code: string; message: string };

/** Runs one statement as `user` in its own asUser transaction. */
async function attempt(ctx: Ctx, user: TestUser, query: RawBuilder<unknown>, count: "rows" | "affected"): Promise<Outcome> {
  try {
    const result = await ctx.t.db.asUser(user.claims, (tx) => query.execute(tx));
    const rows =
      count === "affected" ? Number(result.numAffectedRows ?? 0) : Number((result.rows[0] as { n: number })?.n ?? 0);
    return { ok: true, rows };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { ok: false, code: err.code ?? "?", message: err.message ?? String(e) };
  }
}

function tableSql(rel: Relation) {
  return sql.id(rel.schema, rel.name);
}

function pkWhere(rel: Relation, pk: string[]) {
  return sql.join(
    rel.pk.map((c, i) => sql`${sql.id(c)} = cast(${pk[i]} as ${sql.raw(column(rel, c).type)})`),
    sql` and `,
  );
}

async function snapshot(ctx: Ctx, rel: Relation, pk: string[]): Promise<string | null> {
  const where = rel.pk.map((c, i) => `${q(c)} = cast($${i + 1} as ${column(rel, c).type})`).join(" and ");
  const [row] = await ctx.t.admin.unsafe(
    `select to_jsonb(x)::text as s from ${q(rel.schema)}.${q(rel.name)} x where ${where}`,
    pk,
  );
  return row?.s ?? null;
}

async function countOfB(ctx: Ctx, rel: Relation): Promise<number> {
  const [row] = await ctx.t.admin.unsafe(
    `select count(*)::int as n from ${q(rel.schema)}.${q(rel.name)} where ${q(rel.orgKey!)} = $1::uuid`,
    [ctx.b.orgId],
  );
  return row.n;
}

function describeOutcome(o: Outcome) {
  return o.ok ? `${o.rows} row(s)` : `error ${o.code}: ${o.message}`;
}

/** Blocked = affected/saw 0 rows, or was refused with insufficient_privilege. */
function expectBlocked(problems: string[], what: string, o: Outcome) {
  if (o.ok && o.rows === 0) return;
  if (!o.ok && o.code === DENIED) return;
  problems.push(`${what}: expected 0 rows or permission denied, got ${describeOutcome(o)}`);
}

/** Must be refused outright (RLS WITH CHECK violation or permission denied). */
function expectRefused(problems: string[], what: string, o: Outcome) {
  if (!o.ok && o.code === DENIED) return;
  problems.push(`${what}: expected a row-level security violation or permission denied, got ${describeOutcome(o)}`);
}

/**
 * Org A's owner against org B's rows in `rel` (each statement in its own
 * asUser transaction): SELECT, UPDATE and DELETE by key, INSERT of a copy
 * into org B, and moving A's own rows into B. Returns the problems found.
 */
async function attackTable(ctx: Ctx, rel: Relation, rowsB: string[][]): Promise<string[]> {
  const problems: string[] = [];
  const orgKey = rel.orgKey!;
  const T = tableSql(rel);
  const who = `${rel.label} as org A's owner`;
  const countBefore = await countOfB(ctx, rel);
  const pkParams = rel.pk.map((c, i) => `${q(c)} = cast($${i + 1} as ${column(rel, c).type})`).join(" and ");
  // The row the INSERT copies, read (as text) before anything can touch it.
  const [source] = await ctx.t.admin
    .unsafe(
      `select ${rel.columns.map((c) => `${q(c.name)}::text`).join(", ")}
       from ${q(rel.schema)}.${q(rel.name)} where ${pkParams}`,
      rowsB[0],
    )
    .values();

  // A sees no row outside its own org.
  expectBlocked(
    problems,
    `${who}: SELECT rows outside org A`,
    await attempt(
      ctx,
      ctx.a,
      sql`select count(*)::int as n from ${T} where ${sql.id(orgKey)} is distinct from ${ctx.a.orgId}::uuid`,
      "rows",
    ),
  );

  const writable = rel.columns.filter((c) => !c.generated && c.identity !== "a");
  const updatable = writable.filter((c) => c.canUpdate);
  // With no UPDATE privilege at all, any writable column will do: the
  // statement must then be refused.
  const updateCol = updatable.find((c) => c.name === "updated_at") ?? updatable[0] ?? writable[writable.length - 1];
  const updateSet =
    updateCol.name === "updated_at" && updateCol.canUpdate
      ? sql`${sql.id("updated_at")} = now()`
      : sql`${sql.id(updateCol.name)} = ${sql.id(updateCol.name)}`;
  const mustRefuseUpdate = updatable.length === 0;
  const [{ ok: canDelete }] = await ctx.t.admin.unsafe(
    `select has_table_privilege('authenticated', $1::oid, 'DELETE') as ok`,
    [rel.oid],
  );

  for (const pk of rowsB) {
    const key = `${rel.pk.join(",")}=${pk.join(",")}`;
    const before = await snapshot(ctx, rel, pk);
    const where = pkWhere(rel, pk);

    expectBlocked(
      problems,
      `${who}: SELECT org B's row ${key}`,
      await attempt(ctx, ctx.a, sql`select count(*)::int as n from ${T} where ${where}`, "rows"),
    );

    const upd = await attempt(ctx, ctx.a, sql`update ${T} set ${updateSet} where ${where}`, "affected");
    if (mustRefuseUpdate) expectRefused(problems, `${who}: UPDATE (no privilege) of org B's row ${key}`, upd);
    else expectBlocked(problems, `${who}: UPDATE of org B's row ${key}`, upd);

    const del = await attempt(ctx, ctx.a, sql`delete from ${T} where ${where}`, "affected");
    if (!canDelete) expectRefused(problems, `${who}: DELETE (no privilege) of org B's row ${key}`, del);
    else expectBlocked(problems, `${who}: DELETE of org B's row ${key}`, del);

    const after = await snapshot(ctx, rel, pk);
    if (after === null) problems.push(`${who}: org B's row ${key} was deleted`);
    else if (after !== before) problems.push(`${who}: org B's row ${key} changed: ${before} -> ${after}`);
  }

  // INSERT a copy of B's row with a new key into org B. Columns are those
  // authenticated may insert; references to auth.users point at A's owner,
  // so only tenancy can stop it. Without INSERT on the org column the
  // statement must be refused anyway: insert just the org (and a new key).
  const insertable = rel.columns.filter((c) => c.canInsert && !c.generated && c.identity !== "a");
  const insertCols = insertable.some((c) => c.name === orgKey)
    ? insertable
    : rel.columns.filter((c) => c.name === orgKey || (rel.pk.includes(c.name) && !c.hasDefault && !c.identity));
  const authUserCols = new Set(
    rel.fks
      .filter((f) => f.refSchema === "auth" && f.refTable === "users" && f.cols.length === 1)
      .map((f) => f.cols[0]),
  );
  const cols: RawBuilder<unknown>[] = [];
  const vals: RawBuilder<unknown>[] = [];
  for (const c of insertCols) {
    let value: RawBuilder<unknown>;
    if (rel.pk.includes(c.name)) {
      if (c.hasDefault || c.identity) continue; // the default makes a new key
      value =
        c.baseType === "uuid"
          ? sql`gen_random_uuid()`
          : c.category === "N"
            ? sql`${String(2_000_000_000 + Math.floor(Math.random() * 100_000_000))}`
            : sql`${`iso-${randomUUID()}`}`;
    } else if (c.name === orgKey) value = sql`${ctx.b.orgId}`;
    else if (authUserCols.has(c.name)) value = sql`${ctx.a.id}`;
    else value = sql`${source[rel.columns.indexOf(c)] ?? null}`;
    cols.push(sql.id(c.name));
    vals.push(sql`cast(${value} as ${sql.raw(c.type)})`);
  }
  const insert =
    cols.length === 0
      ? sql`insert into ${T} default values`
      : sql`insert into ${T} (${sql.join(cols)}) values (${sql.join(vals)})`;
  expectRefused(problems, `${who}: INSERT of a row into org B`, await attempt(ctx, ctx.a, insert, "affected"));

  // Moving A's own rows (ensured to exist) into org B.
  if (column(rel, orgKey).canUpdate) {
    expectBlocked(
      problems,
      `${who}: UPDATE moving org A's rows to org B`,
      await attempt(
        ctx,
        ctx.a,
        sql`update ${T} set ${sql.id(orgKey)} = ${ctx.b.orgId}::uuid where ${sql.id(orgKey)} = ${ctx.a.orgId}::uuid`,
        "affected",
      ),
    );
  }

  const countAfter = await countOfB(ctx, rel);
  if (countAfter !== countBefore) {
    problems.push(`${who}: org B's row count changed from ${countBefore} to ${countAfter}`);
  }
  return problems;
}

/** Rows of both orgs in every table (seeding where needed); seeding failures as problems. */
async function prepareTargets(ctx: Ctx, tables: Relation[]) {
  const problems: string[] = [];
  const targets: { rel: Relation; rows: string[][] }[] = [];
  for (const rel of tables) {
    if (!rel.pk.length) continue; // reported by the catalog audit
    try {
      const rows = await ensureRows(ctx, rel, ctx.b);
      await ensureRows(ctx, rel, ctx.a);
      targets.push({ rel, rows });
    } catch (e) {
      if (!(e instanceof SeedError)) throw e;
      problems.push(e.message);
    }
  }
  return { problems, targets };
}

/** Every row of org B in every tenant table, as one string. */
async function snapshotOrgB(ctx: Ctx, tables: Relation[]) {
  const parts: string[] = [];
  for (const rel of tables) {
    const rows = await ctx.t.admin.unsafe(
      `select to_jsonb(x)::text as s from ${q(rel.schema)}.${q(rel.name)} x
       where ${q(rel.orgKey!)} = $1::uuid order by 1`,
      [ctx.b.orgId],
    );
    parts.push(`${rel.label}: ${rows.map((r) => r.s).join("\n")}`);
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------------------

const t = useTestDatabase();

describe("tenant isolation (catalog-driven)", () => {
  const ctx = { t } as Ctx;
  let tables: Relation[] = [];

  beforeAll(async () => {
    // Created as the migrations are: by `postgres`, which on hosted Supabase
    // is not the superuser whose own new tables anon may read.
    await t.admin.begin(async (tx) => {
      await tx.unsafe("set local role postgres");
      await tx.unsafe(FIXTURE_SQL);
    });
    ctx.a = await createUser(t, { orgName: "Isolation A" });
    await createMember(t, ctx.a.orgId, "member");
    ctx.b = await createUser(t, { orgName: "Isolation B" });
    await createMember(t, ctx.b.orgId, "admin");
    // An open invitation in org B (createMember's invitations get accepted).
    await t.admin`
      insert into org_invites (org_id, email, role, token_hash, invited_by)
      values (${ctx.b.orgId}, 'pending@example.test', 'member',
              encode(sha256(convert_to(${randomUUID()}, 'UTF8')), 'hex'), ${ctx.b.id})`;
    tables = await listTenantTables(t.admin, "public");
  });

  it("finds the tenant tables in the catalog", () => {
    const names = tables.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(["orgs", "org_members", "profiles", "org_invites", "audit_log"]));
    expect(names.filter((n) => !FIXTURE_TABLES.includes(n)).length).toBeGreaterThanOrEqual(5);
    expect(names).toEqual(expect.arrayContaining(FIXTURE_TABLES));
  });

  it("audits RLS, policies and grants of every table in public", async () => {
    expect(await auditCatalog(t.admin, "public")).toEqual([]);
  });

  it("keeps the API roles in their lane", async () => {
    const roles = await t.admin`
      select r.rolname::text as name, r.rolsuper as super, r.rolbypassrls as bypass, r.rolinherit as inherit,
             r.rolcanlogin as login,
             array(select g.rolname::text from pg_auth_members m join pg_roles g on g.oid = m.roleid
                   where m.member = r.oid order by 1) as member_of
      from pg_roles r where r.rolname in ('anon', 'authenticated', 'service_role', 'covey_app')
      order by 1`;
    const by = Object.fromEntries(roles.map((r) => [r.name, r]));
    expect(by.anon).toMatchObject({ super: false, bypass: false, login: false });
    expect(by.authenticated).toMatchObject({ super: false, bypass: false, login: false });
    // The login role: no superpowers, no inheritance, can only become these two.
    expect(by.covey_app).toMatchObject({ super: false, bypass: false, inherit: false });
    expect(by.covey_app.member_of).toEqual(["authenticated", "service_role"]);
  });

  it("org A's owner can neither see nor change org B's rows in any tenant table", async () => {
    // Non-vacuity: A sees its own org, membership and profile through RLS.
    const own = await t.db.asUser(ctx.a.claims, async (tx) => ({
      orgs: (await sql<{ id: string }>`select id from public.orgs`.execute(tx)).rows,
      members: (await sql<{ org_id: string }>`select org_id from public.org_members`.execute(tx)).rows,
      profiles: (await sql<{ org_id: string }>`select org_id from public.profiles`.execute(tx)).rows,
    }));
    expect(own.orgs).toEqual([{ id: ctx.a.orgId }]);
    expect(own.members).toHaveLength(2);
    expect(own.members.every((m) => m.org_id === ctx.a.orgId)).toBe(true);
    expect(own.profiles).toHaveLength(2);
    expect(own.profiles.every((p) => p.org_id === ctx.a.orgId)).toBe(true);

    const { problems, targets } = await prepareTargets(ctx, tables);
    expect(problems, "both orgs need a row in every tenant table").toEqual([]);
    expect(targets.length).toBeGreaterThanOrEqual(5 + FIXTURE_TABLES.length);

    // Control: org B's owner does see the probed rows where it may read them,
    // so A's empty results are tenancy, not rows nobody can see.
    for (const rel of ["orgs", "org_members", "profiles", "org_invites", "audit_log", ...FIXTURE_TABLES]) {
      const target = targets.find((x) => x.rel.name === rel)!;
      const seen = await attempt(
        ctx,
        ctx.b,
        sql`select count(*)::int as n from ${tableSql(target.rel)} where ${pkWhere(target.rel, target.rows[0])}`,
        "rows",
      );
      expect(seen, `org B's owner sees its own row in ${rel}`).toEqual({ ok: true, rows: 1 });
    }

    const before = await snapshotOrgB(ctx, tables);
    for (const { rel, rows } of targets) problems.push(...(await attackTable(ctx, rel, rows)));
    expect(problems).toEqual([]);
    expect(await snapshotOrgB(ctx, tables), "org B's data is unchanged").toBe(before);
  });

  it("anon and the bare login role cannot read any tenant table", async () => {
    expect(tables.length).toBeGreaterThanOrEqual(5);
    const raw = postgres(t.appUrl, { max: 1, onnotice: () => {} });
    try {
      for (const rel of tables) {
        const table = `${q(rel.schema)}.${q(rel.name)}`;
        const asAnon = t.admin
          .begin(async (tx) => {
            await tx`select set_config('request.jwt.claims', ${JSON.stringify(ctx.a.claims)}, true)`;
            await tx`set local role anon`;
            return tx.unsafe(`select 1 from ${table} limit 1`);
          })
          .then(
            () => "readable",
            (e) => e.code,
          );
        expect(await asAnon, `anon reading ${rel.label}`).toBe(DENIED);
        const bare = await raw.unsafe(`select 1 from ${table} limit 1`).then(
          () => "readable",
          (e) => e.code,
        );
        expect(bare, `covey_app without a role reading ${rel.label}`).toBe(DENIED);
      }
      // The login role cannot make itself anon either.
      await expect(raw.begin((tx) => tx`set local role anon`)).rejects.toThrow(/permission denied/);
    } finally {
      await raw.end();
    }
  });

  it("lets neither anon nor end users call security definer functions that are not theirs", async () => {
    // Definer functions run past RLS, so each one is granted deliberately.
    const rows = await t.admin<{ fn: string; anon: boolean; authenticated: boolean }[]>`
      select p.oid::regprocedure::text as fn,
             has_function_privilege('anon', p.oid, 'execute') as anon,
             has_function_privilege('authenticated', p.oid, 'execute') as authenticated
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private') and p.prosecdef and p.prorettype <> 'trigger'::regtype`;
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.filter((r) => r.anon).map((r) => r.fn)).toEqual([]);
    const forUsers = new Set([
      "private.current_org_id()",
      "private.current_org_role()",
      "email_has_account(text)",
      "remove_member(uuid)",
      // Merging moves timeline references users may not write; they check role and org themselves.
      "merge_people(uuid,uuid,jsonb)",
      "merge_companies(uuid,uuid,jsonb)",
      // Turns a presented token into claims: the token is the credential.
      "private.api_key_authenticate(text)",
      // Says only whether a session id (from the caller's own verified token) still exists.
      "private.require_live_session(uuid)",
      // Takes a rate-limit token for the key a presented token names: the token is the credential.
      "private.api_key_take_token(text)",
      // Webhook test events and replays check the owner/admin role and org themselves.
      "send_webhook_test(uuid)",
      "replay_webhook_deliveries(uuid,bigint[])",
      // Retrying and discarding a job check the owner/admin role and the job's org themselves.
      "retry_job(bigint)",
      "discard_job(bigint)",
      // Search finds and ranks records past RLS (so its indexes apply, and rows skip the per-row policy) for the caller's org only.
      "search_candidates(text)",
      "search_records(text,integer)",
      // List searches narrow past RLS the same way, returning ids of the caller's org only.
      "list_search_ids(text,text,boolean,integer)",
      // Stores a sealed credential for the caller's own org, owners and admins only; it checks both itself.
      "store_org_secret(text,text,text)",
      // Routing a lead again checks the manager role and the lead's org itself, and runs the org's rules as the system.
      "route_lead_again(uuid)",
      // Connecting and disconnecting Gmail act on the caller's own mailbox and token only (auth.uid(), the session's org).
      "connect_gmail_mailbox(text,text,text)",
      "disconnect_gmail_mailbox()",
      // Admits or removes the caller's own account only (auth.uid()), by an invitation to its verified address or sign-up's rules.
      "finish_oauth_sign_in(text,text,text)",
      // Records Twilio's answer to the caller's own click-to-call only (auth.uid(), the call's org), while it is queued without a SID.
      "record_call_placement(uuid,text,integer,text)",
      // The caller's own active teams (auth.uid() in the session's org), for stage rules and the board.
      "member_teams()",
      // Whether the caller may propose and advance a pairing's matches: false for another org's pairing.
      "may_match(uuid)",
    ]);
    expect(rows.filter((r) => r.authenticated && !forUsers.has(r.fn)).map((r) => r.fn)).toEqual([]);
  });

  it("self-test: the audit and the attacks catch deliberately leaky tables", async () => {
    await t.admin.unsafe(LEAKY_SQL);
    const audit = await auditCatalog(t.admin, "iso_leaky");
    const has = (re: RegExp) => audit.some((p) => re.test(p));
    expect(has(/open_notes policy open_all .*applies to public/)).toBe(true);
    expect(has(/open_notes policy open_all .*USING \(true\)/)).toBe(true);
    expect(has(/open_notes: role anon has privileges/)).toBe(true);
    expect(has(/no_rls: row level security is not enabled/)).toBe(true);
    expect(has(/no_rls: has no policies/)).toBe(true);
    expect(has(/no_policy: has no policies/)).toBe(true);
    expect(has(/wrong_key policy not_keyed .*not keyed on is_member_of/)).toBe(true);

    const prepared = await prepareTargets(ctx, await listTenantTables(t.admin, "iso_leaky"));
    expect(prepared.problems).toEqual([]);
    const found: Record<string, string[]> = {};
    for (const { rel, rows } of prepared.targets) found[rel.name] = await attackTable(ctx, rel, rows);
    for (const name of ["open_notes", "no_rls"]) {
      const p = found[name].join("\n");
      expect(p).toMatch(/SELECT org B's row/);
      expect(p).toMatch(/UPDATE of org B's row/);
      expect(p).toMatch(/DELETE of org B's row/);
      expect(p).toMatch(/was deleted/);
      expect(p).toMatch(/INSERT of a row into org B/);
      expect(p).toMatch(/moving org A's rows to org B/);
    }
    expect(found.wrong_key.join("\n")).toMatch(/SELECT org B's row/);
    expect(found.no_policy).toEqual([]);
  });
});
