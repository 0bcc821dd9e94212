// The data set every scale benchmark runs on: 100 orgs and 1,000,000 people;
// the measured org has 100,000 people, 20,000 companies and 50,000 deals
// (5,000 open in its Sales pipeline, the rest won or lost). Loaded with
// triggers off (session_replication_role) so the load takes seconds; the
// indexes are the migrations' own.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { applyLocalPlatform, applyMigrations, LOCAL_SQL_DIR, MIGRATIONS_DIR, sqlFiles } from "../lib/db/migrate.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";

export const ORGS = 100;
export const TOTAL_PEOPLE = 1_000_000;
export const ORG_PEOPLE = 100_000;
export const ORG_COMPANIES = 20_000;
export const ORG_DEALS = 50_000;
export const OPEN_DEALS = 5_000;
export const PASSWORD = "bench-password-1234";

const FIRST = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
  "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Nancy",
  "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Margaret", "Donald", "Sandra", "Steven", "Ashley", "Paul", "Kimberly",
  "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle", "Kevin", "Dorothy", "Brian", "Carol", "George", "Amanda"];
const LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen",
  "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera"];
const WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent",
  "Hooli", "Vandelay", "Pied", "Piper", "Massive", "Dynamic", "Oscorp", "Gringotts", "Aperture", "Black", "Mesa"];

const arr = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(",")}}`;

export async function load(admin: postgres.Sql, log: (m: string) => void) {
  const t0 = performance.now();
  await admin`
    insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
    select format('bench-%s@example.test', i), case when i = 1 then extensions.crypt(${PASSWORD}, extensions.gen_salt('bf', 4)) else '' end, now(),
           jsonb_build_object('org_name', format('Bench org %s', i), 'full_name', format('Owner %s', i)),
           'authenticated', 'authenticated'
    from generate_series(1, ${ORGS}) i`;
  const members = await admin<{ user_id: string; org_id: string; email: string }[]>`
    select m.user_id, m.org_id, u.email from org_members m join auth.users u on u.id = m.user_id order by u.email`;
  const me = members.find((m) => m.email === "bench-1@example.test")!;
  const others = members.filter((m) => m.org_id !== me.org_id).map((m) => m.org_id);

  await admin.begin(async (tx) => {
    // Bulk load only: skips the per-row audit, timeline and event triggers.
    await tx`set local session_replication_role = replica`;
    await tx.unsafe(
      `insert into companies (org_id, name, domain, owner_id, created_at)
       select $1::uuid, w1 || ' ' || w2 || ' ' || i, lower(w1 || w2 || i) || '.example', $2::uuid, now() - (i % 700) * interval '1 day'
       from generate_series(1, ${ORG_COMPANIES}) i,
            lateral (select ($3::text[])[1 + i % ${WORDS.length}] as w1, ($3::text[])[1 + (i / ${WORDS.length}) % ${WORDS.length}] as w2) w`,
      [me.org_id, me.user_id, arr(WORDS)],
    );
    const companyIds = (await tx<{ id: string }[]>`select id from companies where org_id = ${me.org_id} order by id`).map((c) => c.id);
    // Every 10th person belongs to the measured org, spread over the heap as in a long-lived table.
    const every = TOTAL_PEOPLE / ORG_PEOPLE;
    await tx.unsafe(
      `insert into people (org_id, first_name, last_name, email, phone, title, tags, owner_id, company_id, created_at)
       select case when i % ${every} = 0 then $1::uuid else ($2::uuid[])[1 + (i / ${every}) % ${others.length}] end,
              f, l, lower(f || '.' || l || '.' || i || '@example.test'),
              '+1' || (200 + i % 700)::text || lpad((i % 10000000)::text, 7, '0'),
              (array['CEO', 'CTO', 'Buyer', 'Engineer', 'Manager'])[1 + i % 5],
              case when i % 7 = 0 then '{vip}'::text[] else '{}' end,
              case when i % ${every} = 0 then $3::uuid end,
              case when i % ${every} = 0 then ($6::uuid[])[1 + (i / ${every}) % ${ORG_COMPANIES}] end,
              now() - (i % 1000) * interval '1 hour'
       from generate_series(1, ${TOTAL_PEOPLE}) i,
            lateral (select ($4::text[])[1 + i % ${FIRST.length}] as f, ($5::text[])[1 + (i / 7) % ${LAST.length}] as l) n`,
      [me.org_id, arr(others), me.user_id, arr(FIRST), arr(LAST), `{${companyIds.join(",")}}`],
    );
    await tx`
      insert into people (org_id, first_name, last_name, email, phone, owner_id)
      values (${me.org_id}, 'Jonathan', 'Appleseed', 'jonathan.appleseed@example.test', '+14155550100', ${me.user_id})`;
    const stages = await tx<{ id: string; pipeline_id: string; is_won: boolean; is_lost: boolean }[]>`
      select s.id, s.pipeline_id, s.is_won, s.is_lost from pipeline_stages s join pipelines p on p.id = s.pipeline_id
      where s.org_id = ${me.org_id} and p.name = 'Sales' order by s.position`;
    const open = stages.filter((s) => !s.is_won && !s.is_lost).map((s) => s.id);
    const won = stages.find((s) => s.is_won)!.id;
    const lost = stages.find((s) => s.is_lost)!.id;
    await tx.unsafe(
      `insert into deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency, status, owner_id, closed_at)
       select $1::uuid, 'Deal ' || ($5::text[])[1 + i % ${WORDS.length}] || ' ' || i, $2::uuid,
              case when i <= ${OPEN_DEALS} then ($3::uuid[])[1 + i % ${open.length}] when i % 2 = 0 then $6::uuid else $7::uuid end,
              i, (i % 1000) * 10000, 'USD',
              (case when i <= ${OPEN_DEALS} then 'open' when i % 2 = 0 then 'won' else 'lost' end)::deal_status,
              $4::uuid, case when i > ${OPEN_DEALS} then now() end
       from generate_series(1, ${ORG_DEALS}) i`,
      [me.org_id, stages[0].pipeline_id, arr(open), me.user_id, arr(WORDS), won, lost],
    );
  });
  // The search dictionary is filled by insert triggers, which the load skips.
  await admin`select private.fill_search_words()`;
  await admin.unsafe("vacuum (analyze) people, companies, deals, search_words");
  const seconds = (performance.now() - t0) / 1000;
  const [{ pipeline_id }] = await admin`select id as pipeline_id from pipelines where org_id = ${me.org_id} and name = 'Sales'`;
  log(`loaded ${TOTAL_PEOPLE + 1} people in ${ORGS} orgs, ${ORG_COMPANIES} companies and ${ORG_DEALS} deals in the measured org in ${seconds.toFixed(1)} s`);
  return { me, pipelineId: pipeline_id as string, loadSeconds: Math.round(seconds * 10) / 10 };
}

/** The measured org's owner and its Sales pipeline, in a loaded database. */
export async function measured(admin: postgres.Sql) {
  const [me] = await admin<{ user_id: string; org_id: string; email: string }[]>`
    select m.user_id, m.org_id, u.email from org_members m join auth.users u on u.id = m.user_id
    where u.email = 'bench-1@example.test'`;
  const [{ pipeline_id }] = await admin<{ pipeline_id: string }[]>`
    select id as pipeline_id from pipelines where org_id = ${me.org_id} and name = 'Sales'`;
  return { me, pipelineId: pipeline_id };
}

// `cp -a`: Postgres refuses a data directory that is not owned by the user it runs as.
const copyDir = (from: string, to: string) => execFileSync("cp", ["-a", from, to]);
const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const hashes = (dir: string) => Object.fromEntries(sqlFiles(dir).map(({ file, text }) => [file, sha(text)]));

/**
 * Puts the loaded data set into `dataDir/pg` (where startStack looks) and
 * leaves Postgres stopped. By default it loads from scratch every time.
 *
 * With `BENCH_CACHE=1` (or a directory) a loaded copy is kept in
 * `.bench-cache/` and reused while this file, the local platform SQL and
 * every migration it was loaded with are unchanged; migrations added since
 * are applied on top by startStack. For iterating on a change, not for the
 * figures you report.
 */
export async function prepareDataset(dataDir: string, port: number, log: (m: string) => void): Promise<{ loadSeconds: number; cached: boolean }> {
  const setting = process.env.BENCH_CACHE;
  const cacheRoot = !setting || setting === "0" ? null : setting === "1" ? path.resolve(import.meta.dirname, "../.bench-cache") : path.resolve(setting);
  const base = sha(readFileSync(import.meta.filename, "utf8") + JSON.stringify(hashes(LOCAL_SQL_DIR)));
  const migrations = hashes(MIGRATIONS_DIR);
  const target = path.join(dataDir, "pg");
  if (cacheRoot && existsSync(cacheRoot)) {
    for (const entry of readdirSync(cacheRoot)) {
      const manifestFile = path.join(cacheRoot, entry, "manifest.json");
      if (entry.endsWith(".partial") || !existsSync(manifestFile)) continue;
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { base: string; migrations: Record<string, string>; loadSeconds: number };
      const usable = manifest.base === base && Object.entries(manifest.migrations).every(([f, h]) => migrations[f] === h);
      if (!usable) continue;
      const t0 = performance.now();
      copyDir(path.join(cacheRoot, entry, "pg"), target);
      log(`data set copied from ${path.relative(process.cwd(), path.join(cacheRoot, entry))} in ${((performance.now() - t0) / 1000).toFixed(1)} s (loaded in ${manifest.loadSeconds} s)`);
      return { loadSeconds: manifest.loadSeconds, cached: true };
    }
  }

  mkdirSync(dataDir, { recursive: true });
  const pg = await startLocalPostgres({ dir: target, port, persistent: true });
  let loadSeconds: number;
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    const admin = postgres(pg.adminUrl(), { max: 1, onnotice: () => {} });
    try {
      ({ loadSeconds } = await load(admin, log));
      await admin`checkpoint`;
    } finally {
      await admin.end();
    }
  } finally {
    await pg.stop();
  }
  if (cacheRoot) {
    // One loaded copy at a time: they are a few GB each.
    rmSync(cacheRoot, { recursive: true, force: true });
    const entry = path.join(cacheRoot, `${Date.now()}`);
    const partial = `${entry}.partial`;
    mkdirSync(partial, { recursive: true });
    copyDir(target, path.join(partial, "pg"));
    writeFileSync(path.join(partial, "manifest.json"), JSON.stringify({ base, migrations, loadSeconds }));
    renameSync(partial, entry);
    log(`data set kept in ${path.relative(process.cwd(), entry)} for BENCH_CACHE runs`);
  }
  return { loadSeconds, cached: false };
}
