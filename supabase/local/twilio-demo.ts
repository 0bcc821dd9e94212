// The demo organization's Twilio account and number, made at start-up rather
// than in supabase/seed.sql: the auth token has to be sealed with the
// key-encryption key, which lives outside the database (.data/secret-keys)
// and which SQL never sees. Done once per database (recorded in seed_files
// like the seed), so an account the demo owner disconnects stays so.
import postgres from "postgres";
import { parseKeyring, sealSecret, secretHint } from "../../lib/crypto/envelope.ts";
import { DEMO_TWILIO } from "../../modules/twilio/demo.ts";

const MARK = "supabase/local/twilio-demo.ts";

export async function seedTwilioDemo(adminUrl: string, secretKeys: string, log: (l: string) => void = () => {}): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${MARK}`;
    if (done) return false;
    const [org] = await sql<{ id: string; owner: string }[]>`
      select m.org_id as id, m.user_id as owner from public.org_members m join auth.users u on u.id = m.user_id
      where u.email = 'demo@covey.local' and m.role = 'owner'`;
    if (!org) return false;
    const purpose = "twilio.auth_token";
    const keyring = await parseKeyring(secretKeys);
    const sealed = await sealSecret(keyring, DEMO_TWILIO.authToken, { orgId: org.id, purpose });
    await sql.begin(async (tx) => {
      const [secret] = await tx`
        insert into public.org_secrets (org_id, purpose, secret, key_id, hint)
        values (${org.id}, ${purpose}, ${sealed}, ${keyring.activeKid}, ${secretHint(DEMO_TWILIO.authToken)})
        returning id`;
      await tx`
        insert into public.twilio_accounts (org_id, account_sid, auth_token_secret_id, friendly_name, status, checked_at)
        values (${org.id}, ${DEMO_TWILIO.accountSid}, ${secret.id}, ${DEMO_TWILIO.friendlyName}, 'ok', now())`;
      await tx`
        insert into public.phones (org_id, number, label, default_owner_id)
        values (${org.id}, ${DEMO_TWILIO.number}, ${DEMO_TWILIO.numberLabel}, ${org.owner})`;
      await tx`insert into supabase_migrations.seed_files (path, hash) values (${MARK}, 'start-up')`;
    });
    log("demo Twilio number connected");
    return true;
  } finally {
    await sql.end();
  }
}
