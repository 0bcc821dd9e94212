// The demo organization's webhook partner, made at start-up rather than in
// supabase/seed.sql: its signing secret has to be sealed with the
// key-encryption key, which SQL never sees. Washington leads are offered to
// it first; its system is the stand-in on the local API
// (partner-stand-in.ts), which /dev/partner shows. Done once per database
// (recorded in seed_files like the seed), so a partner the demo owner
// changes or deletes stays so.
import postgres from "postgres";
import { parseKeyring, sealSecret, secretHint } from "../../lib/crypto/envelope.ts";
import { DEMO_PARTNER } from "./partner-stand-in.ts";

const MARK = "supabase/local/partner-demo.ts";

export async function seedPartnerDemo(adminUrl: string, secretKeys: string, standInUrl: string, log: (l: string) => void = () => {}): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${MARK}`;
    if (done) return false;
    const [org] = await sql<{ id: string }[]>`
      select m.org_id as id from public.org_members m join auth.users u on u.id = m.user_id
      where u.email = 'demo@covey.local' and m.role = 'owner'`;
    if (!org) return false;
    const keyring = await parseKeyring(secretKeys);
    await sql.begin(async (tx) => {
      const [partner] = await tx`
        insert into public.partners (org_id, name, contact_email, states, response_hours, channel, webhook_url, notes)
        values (${org.id}, ${DEMO_PARTNER.name}, ${DEMO_PARTNER.email}, ${DEMO_PARTNER.states}, 24, 'webhook', ${standInUrl},
                'Takes Washington leads by signed webhook; its system is the stand-in shown at /dev/partner.')
        returning id`;
      const purpose = `partners.webhook_secret:${partner.id}`;
      const sealed = await sealSecret(keyring, DEMO_PARTNER.secret, { orgId: org.id, purpose });
      await tx`
        insert into public.org_secrets (org_id, purpose, secret, key_id, hint)
        values (${org.id}, ${purpose}, ${sealed}, ${keyring.activeKid}, ${secretHint(DEMO_PARTNER.secret)})`;
      // First in line: the other rules move down one (positions are checked at commit).
      await tx`update public.lead_routing_rules set position = position + 1 where org_id = ${org.id}`;
      const [rule] = await tx`
        insert into public.lead_routing_rules (org_id, name, position, states, action)
        values (${org.id}, 'Washington leads to Cascade', 0, ${DEMO_PARTNER.states}, 'partner')
        returning id`;
      await tx`insert into public.routing_rule_members (org_id, rule_id, partner_id, position) values (${org.id}, ${rule.id}, ${partner.id}, 0)`;
      await tx`insert into supabase_migrations.seed_files (path, hash) values (${MARK}, 'start-up')`;
    });
    log("demo webhook partner added");
    return true;
  } finally {
    await sql.end();
  }
}
