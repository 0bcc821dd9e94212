// Ad accounts in Settings → Integrations → Meta: connect (the token must
// open the account at Meta and carry ads_read), test, pause or resume the
// daily import, import now, disconnect. Owners and admins; the database
// checks again (RLS, store_org_secret). The token is sealed into
// org_secrets and never sent back to the browser; reading it again happens
// as service_role after the member's own role check, for an account of
// their org only.
import type { SessionActor } from "@/lib/auth/actor";
import { openSecret, SecretDecryptError } from "@/lib/crypto/envelope";
import { storeSecret } from "@/lib/crypto/member";
import { sql } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { DomainError, fieldError, notFound, parseInput } from "@/lib/errors";
import { adsTokenPurpose, DAILY_IMPORT_DAYS, IMPORT_AD_SPEND_JOB } from "./ad-spend-import";
import { GraphError, type GraphAdAccount } from "./graph";
import { adAccountRefSchema, adAccountToggleSchema, connectAdAccountSchema } from "./schema";
import { allowed, configured, type MetaDeps, notAllowed } from "./service";

const accountGone = () => notFound("This ad account is no longer connected.");
const ADS_SCOPES = ["ads_read", "ads_management"];

/** Meta's refusal named on the field it is about: an account the token cannot open, or the token itself. */
function refusal(e: unknown): never {
  if (e instanceof GraphError) {
    if (e.transient) throw new DomainError("internal_error", `Meta could not be reached (${e.message}). Try again in a moment.`);
    throw fieldError(e.code === 100 ? "accountId" : "token", `Meta refused: ${e.message}`);
  }
  throw e;
}

/** What Covey keeps of Meta's account: a currency and a zone the database accepts. */
function accountFields(a: GraphAdAccount, accountId: string) {
  return {
    name: (a.name ?? "").slice(0, 200) || `Ad account ${accountId.slice(4)}`,
    currency: /^[A-Z]{3}$/.test(a.currency ?? "") ? a.currency : "USD",
    time_zone: /^[A-Za-z0-9_+/-]{1,64}$/.test(a.timezone_name ?? "") ? a.timezone_name : "UTC",
  };
}

/** Connects an ad account, or replaces the token of a connected one; its last 30 days are imported at once. */
export async function connectAdAccount(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<{ id: string }> {
  allowed(actor);
  const v = parseInput(connectAdAccountSchema, input);
  const keyring = await configured(deps.keyring);
  const graph = await configured(deps.graph);
  const debug = await graph.debugToken(v.token).catch(refusal);
  if (!debug.is_valid) throw fieldError("token", `Meta refused: ${debug.error?.message ?? "the token is not valid"}`);
  if (!ADS_SCOPES.some((s) => debug.scopes?.includes(s))) {
    throw fieldError("token", "This token lacks the ads_read permission: issue a system user token with ads_read for the ad account");
  }
  const account = await graph.getAdAccount(v.accountId, v.token).catch(refusal);
  const fields = accountFields(account, v.accountId);
  return deps.db
    .asUser(actor.claims, async (tx) => {
      const secret = await storeSecret(tx, keyring, { purpose: adsTokenPurpose(v.accountId), plaintext: v.token });
      const existing = await tx.selectFrom("meta_ad_accounts").select("id").where("account_id", "=", v.accountId).executeTakeFirst();
      // Setting token_secret_id, even to the same secret, queues the 30-day backfill (a trigger).
      return existing
        ? tx.updateTable("meta_ad_accounts").set({ ...fields, token_secret_id: secret.id }).where("id", "=", existing.id).returning("id").executeTakeFirstOrThrow()
        : tx
            .insertInto("meta_ad_accounts")
            .values({ org_id: actor.orgId, account_id: v.accountId, token_secret_id: secret.id, ...fields })
            .returning("id")
            .executeTakeFirstOrThrow();
    })
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
}

/** The account row (of the member's org) and its token, opened. */
async function accountWithToken(deps: MetaDeps, actor: SessionActor, id: string) {
  const account = await deps.db.asUser(actor.claims, (tx) =>
    tx.selectFrom("meta_ad_accounts").select(["id", "org_id", "account_id"]).where("id", "=", id).executeTakeFirst(),
  );
  if (!account) throw accountGone();
  const keyring = await configured(deps.keyring);
  const sealed = await deps.db.asService(async (tx) => {
    const { rows } = await sql<{ secret: string }>`
      select s.secret from org_secrets s join meta_ad_accounts a on a.token_secret_id = s.id and a.org_id = s.org_id
      where a.id = ${account.id} and a.org_id = ${account.org_id}`.execute(tx);
    return rows[0]?.secret;
  });
  if (!sealed) throw accountGone();
  try {
    return { account, token: await openSecret(keyring, sealed, { orgId: account.org_id, purpose: adsTokenPurpose(account.account_id) }) };
  } catch (e) {
    if (e instanceof SecretDecryptError) {
      throw new DomainError("not_configured", "The stored token cannot be decrypted with this deployment's COVEY_SECRET_KEYS. Connect the ad account again.");
    }
    throw e;
  }
}

export interface AdAccountTest {
  ok: boolean;
  name: string | null;
  currency: string | null;
  error: string | null;
}

/** Opens the account at Meta with the stored token and keeps what Meta says of its name, currency and zone. */
export async function testAdAccount(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<AdAccountTest> {
  allowed(actor);
  const { id } = parseInput(adAccountRefSchema, input);
  const { account, token } = await accountWithToken(deps, actor, id);
  const graph = await configured(deps.graph);
  let found: GraphAdAccount;
  try {
    found = await graph.getAdAccount(account.account_id, token);
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    if (e.transient) throw new DomainError("internal_error", `Meta could not be reached (${e.message}). Try again in a moment.`);
    return { ok: false, name: null, currency: null, error: e.message };
  }
  const fields = accountFields(found, account.account_id);
  await deps.db.asUser(actor.claims, (tx) => tx.updateTable("meta_ad_accounts").set(fields).where("id", "=", account.id).execute());
  return { ok: true, name: fields.name, currency: fields.currency, error: null };
}

/** Pauses or resumes the account's daily import; what was imported stays. */
export async function setAdAccountEnabled(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(adAccountToggleSchema, input);
  const row = await deps.db
    .asUser(actor.claims, (tx) => tx.updateTable("meta_ad_accounts").set({ enabled: v.enabled }).where("id", "=", v.id).returning("id").executeTakeFirst())
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
  if (!row) throw accountGone();
}

/** Queues an import of the last 7 days now, as the daily run would. */
export async function importAdSpendNow(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const { id } = parseInput(adAccountRefSchema, input);
  const account = await deps.db.asUser(actor.claims, (tx) =>
    tx.selectFrom("meta_ad_accounts").select(["id", "org_id"]).where("id", "=", id).executeTakeFirst(),
  );
  if (!account) throw accountGone();
  await deps.db.asService((tx) =>
    sql`select private.enqueue_job(${IMPORT_AD_SPEND_JOB}, jsonb_build_object('accountId', ${account.id}::uuid, 'days', ${DAILY_IMPORT_DAYS}::int),
                                   ${account.org_id}::uuid, ${`ad-spend:${account.id}:manual@${new Date().toISOString()}`})`.execute(tx),
  );
}

/** Disconnects an ad account: its token and its imported spend go with it. */
export async function disconnectAdAccount(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const { id } = parseInput(adAccountRefSchema, input);
  const row = await deps.db
    .asUser(actor.claims, (tx) => tx.deleteFrom("meta_ad_accounts").where("id", "=", id).returning("id").executeTakeFirst())
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
  if (!row) throw accountGone();
}
