// Meta connections in Settings → Integrations → Meta: plain functions (no
// Next request context) so server actions and tests share them. The
// database enforces owner/admin again (RLS, store_org_secret).
//
// The page token goes from the form to Meta (to check it opens the page) and
// into org_secrets sealed; it is never sent back to the browser. Reading it
// again (test connection, refreshing forms) happens here, as service_role,
// after the member's own role check and only for a page their org owns.
import type { SessionActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { type Keyring, openSecret, SecretDecryptError, SecretsNotConfiguredError } from "@/lib/crypto/envelope";
import { storeSecret } from "@/lib/crypto/member";
import { type Database, sql, type Tx } from "@/lib/db";
import { isUniqueViolation, pgError, throwRefusal } from "@/lib/db/errors";
import { conflict, DomainError, fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
import { GraphError, type GraphClient, type GraphLeadForm, MetaNotConfiguredError } from "./graph";
import { connectPageSchema, conversionStagesSchema, datasetSchema, formMappingSchema, formToggleSchema, pageRefSchema } from "./schema";
import { type TokenStatus, tokenVerdict } from "./token-status";

export interface MetaDeps {
  db: Database;
  keyring: () => Promise<Keyring>;
  graph: () => GraphClient;
}

export const pageTokenPurpose = (pageId: string) => `meta.page_token:${pageId}`;

const asJsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;

export const notAllowed = () => forbidden("Only owners and admins can manage integrations.");
const pageGone = () => notFound("This page is no longer connected.");

export function allowed(actor: SessionActor) {
  if (!can(actor.role, "integrations.manage")) throw notAllowed();
}

/** Missing configuration as a refusal that says what to set; other errors as they are. */
export async function configured<T>(get: () => T | Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (e) {
    if (e instanceof SecretsNotConfiguredError || e instanceof MetaNotConfiguredError) throw new DomainError("not_configured", e.message);
    throw e;
  }
}

function graphRefusal(e: unknown, field: string): never {
  if (e instanceof GraphError) {
    if (e.transient) throw new DomainError("internal_error", `Meta could not be reached (${e.message}). Try again in a moment.`);
    throw fieldError(field, `Meta refused: ${e.message}`);
  }
  throw e;
}

function formRows(orgId: string, pageRowId: string, forms: GraphLeadForm[]) {
  return forms.map((f) => ({
    org_id: orgId,
    page_id: pageRowId,
    form_id: f.id,
    name: f.name.slice(0, 300) || `Form ${f.id}`,
    status: /^[A-Z_]{1,40}$/.test(f.status) ? f.status : "ACTIVE",
    questions: asJsonb((f.questions ?? []).map((q) => ({ key: q.key, label: q.label ?? q.key, type: q.type ?? "CUSTOM" }))),
    synced_at: new Date(),
  }));
}

async function upsertForms(tx: Tx, orgId: string, pageRowId: string, forms: GraphLeadForm[]) {
  if (forms.length === 0) return;
  await tx
    .insertInto("meta_lead_forms")
    .values(formRows(orgId, pageRowId, forms))
    .onConflict((oc) =>
      oc.column("form_id").doUpdateSet((eb) => ({
        name: eb.ref("excluded.name"),
        status: eb.ref("excluded.status"),
        questions: eb.ref("excluded.questions"),
        synced_at: eb.ref("excluded.synced_at"),
      })),
    )
    .execute();
}

/**
 * Connects a page (or replaces the token of one already connected): Meta
 * must accept the token for that page, its lead forms are fetched, and the
 * page, its sealed token and its forms are written in one transaction.
 */
export async function connectPage(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<{ id: string }> {
  allowed(actor);
  const v = parseInput(connectPageSchema, input);
  const keyring = await configured(deps.keyring);
  const graph = await configured(deps.graph);
  const page = await graph.getPage(v.pageId, v.token).catch((e) => graphRefusal(e, "token"));
  const forms = await graph.listLeadForms(v.pageId, v.token).catch((e) => graphRefusal(e, "token"));
  const verdict = tokenVerdict(await graph.debugToken(v.token).catch((e) => graphRefusal(e, "token")));
  try {
    return await deps.db.asUser(actor.claims, async (tx) => {
      const secret = await storeSecret(tx, keyring, { purpose: pageTokenPurpose(v.pageId), plaintext: v.token });
      const status = {
        name: page.name.slice(0, 200) || `Page ${v.pageId}`,
        token_secret_id: secret.id,
        token_status: verdict.status,
        token_expires_at: verdict.expiresAt,
        token_error: verdict.error,
        token_checked_at: new Date(),
      };
      const existing = await tx.selectFrom("meta_pages").select("id").where("page_id", "=", v.pageId).executeTakeFirst();
      const row = existing
        ? await tx.updateTable("meta_pages").set(status).where("id", "=", existing.id).returning("id").executeTakeFirstOrThrow()
        : await tx
            .insertInto("meta_pages")
            .values({ org_id: actor.orgId, page_id: v.pageId, ...status })
            .returning("id")
            .executeTakeFirstOrThrow();
      await upsertForms(tx, actor.orgId, row.id, forms);
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict("This page is already connected to another Covey workspace.", { details: { pageId: ["Connected elsewhere"] } });
    throwRefusal(e, { forbidden: notAllowed });
  }
}

/** The page row (of the member's org) and its token, opened. */
async function pageWithToken(deps: MetaDeps, actor: SessionActor, id: string) {
  const page = await deps.db.asUser(actor.claims, (tx) =>
    tx.selectFrom("meta_pages").select(["id", "org_id", "page_id", "name"]).where("id", "=", id).executeTakeFirst(),
  );
  if (!page) throw pageGone();
  const keyring = await configured(deps.keyring);
  const sealed = await deps.db.asService(async (tx) => {
    const { rows } = await sql<{ secret: string }>`
      select s.secret from org_secrets s join meta_pages p on p.token_secret_id = s.id and p.org_id = s.org_id
      where p.id = ${page.id} and p.org_id = ${page.org_id}`.execute(tx);
    return rows[0]?.secret;
  });
  if (!sealed) throw pageGone();
  try {
    return { page, token: await openSecret(keyring, sealed, { orgId: page.org_id, purpose: pageTokenPurpose(page.page_id) }) };
  } catch (e) {
    if (e instanceof SecretDecryptError) {
      throw new DomainError("not_configured", "The stored token cannot be decrypted with this deployment's COVEY_SECRET_KEYS. Connect the page again.");
    }
    throw e;
  }
}

export interface ConnectionTest {
  ok: boolean;
  pageName: string | null;
  status: TokenStatus;
  expiresAt: string | null;
  scopes: string[];
  error: string | null;
  forms: number;
}

/** Asks Meta about the stored token (debug_token) and the page with it, records what it said, and refreshes the forms. */
export async function testConnection(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<ConnectionTest> {
  allowed(actor);
  const { id } = parseInput(pageRefSchema, input);
  const { page, token } = await pageWithToken(deps, actor, id);
  const graph = await configured(deps.graph);
  let debug;
  try {
    debug = await graph.debugToken(token);
  } catch (e) {
    if (e instanceof GraphError && e.transient) throw new DomainError("internal_error", `Meta could not be reached (${e.message}). Try again in a moment.`);
    throw e;
  }
  const verdict = tokenVerdict(debug);
  let pageName: string | null = null;
  let forms: GraphLeadForm[] | null = null;
  let error = verdict.error;
  if (verdict.status === "valid" || verdict.status === "expiring") {
    try {
      pageName = (await graph.getPage(page.page_id, token)).name;
      forms = await graph.listLeadForms(page.page_id, token);
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      error = e.message;
    }
  }
  const ok = error === null && pageName !== null;
  await deps.db.asUser(actor.claims, async (tx) => {
    await tx
      .updateTable("meta_pages")
      .set({
        token_status: ok ? verdict.status : verdict.status === "valid" ? "invalid" : verdict.status,
        token_expires_at: verdict.expiresAt,
        token_error: error?.slice(0, 500) ?? null,
        token_checked_at: new Date(),
        ...(pageName ? { name: pageName.slice(0, 200) } : {}),
      })
      .where("id", "=", page.id)
      .execute();
    if (forms) await upsertForms(tx, page.org_id, page.id, forms);
  });
  return {
    ok,
    pageName,
    status: ok ? verdict.status : verdict.status === "valid" ? "invalid" : verdict.status,
    expiresAt: verdict.expiresAt?.toISOString() ?? null,
    scopes: debug.scopes ?? [],
    error,
    forms: forms?.length ?? 0,
  };
}

export async function setFormCreatesLeads(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(formToggleSchema, input);
  const row = await deps.db
    .asUser(actor.claims, (tx) =>
      tx.updateTable("meta_lead_forms").set({ creates_leads: v.createsLeads }).where("id", "=", v.id).returning("id").executeTakeFirst(),
    )
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
  if (!row) throw notFound("This form is no longer connected.");
}

export async function saveFormMapping(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(formMappingSchema, input);
  const row = await deps.db
    .asUser(actor.claims, async (tx) => {
      const form = await tx.selectFrom("meta_lead_forms").select(["id", "questions"]).where("id", "=", v.id).executeTakeFirst();
      if (!form) return null;
      const keys = new Set((form.questions as { key: string }[]).map((q) => q.key));
      const unknown = Object.keys(v.mapping).filter((k) => !keys.has(k));
      if (unknown.length) throw fieldError(`mapping.${unknown[0]}`, `The form has no question "${unknown[0]}"`);
      return tx
        .updateTable("meta_lead_forms")
        .set({ field_mapping: asJsonb(v.mapping) })
        .where("id", "=", v.id)
        .returning("id")
        .executeTakeFirst();
    })
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
  if (!row) throw notFound("This form is no longer connected.");
}

/** Where the page's leads' CRM stages are reported (Conversions API); empty stops the reports. */
export async function setConversionsDataset(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(datasetSchema, input);
  const row = await deps.db
    .asUser(actor.claims, (tx) =>
      tx.updateTable("meta_pages").set({ conversions_dataset_id: v.datasetId }).where("id", "=", v.id).returning("id").executeTakeFirst(),
    )
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
  if (!row) throw pageGone();
}

/** Disconnects a page: its forms and its sealed token go with it. */
export async function disconnectPage(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const { id } = parseInput(pageRefSchema, input);
  const row = await deps.db
    .asUser(actor.claims, (tx) => tx.deleteFrom("meta_pages").where("id", "=", id).returning("id").executeTakeFirst())
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
  if (!row) throw pageGone();
}

/**
 * Replaces the org's Conversions API stages in one transaction. Leads (and
 * their deals) that reach a stage from now on send its event; those already
 * past a newly mapped stage are sent by the quarter-hourly catch-up.
 */
export async function saveConversionStages(deps: MetaDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const { stages } = parseInput(conversionStagesSchema, input);
  await deps.db
    .asUser(actor.claims, async (tx) => {
      await tx.deleteFrom("meta_conversion_stages").execute();
      for (const [i, s] of stages.entries()) {
        try {
          await tx
            .insertInto("meta_conversion_stages")
            .values({ org_id: actor.orgId, status: s.status, stage_id: s.stageId, event_name: s.eventName })
            .execute();
        } catch (e) {
          if ((pgError(e) as { code?: string } | null)?.code === "23503") {
            throw fieldError(`stages.${i}.status`, s.stageId ? "Choose a stage of one of your pipelines" : "Choose one of your organization's statuses");
          }
          throw e;
        }
      }
    })
    .catch((e) => throwRefusal(e, { forbidden: notAllowed }));
}
