"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { assignableRoles, can, type Permission, ROLE_LABELS } from "@/lib/auth/permissions";
import { asMember, getSession, type Session } from "@/lib/auth/session";
import { sql } from "@/lib/db";
import { isInsufficientPrivilege, isRaised, isUniqueViolation, pgError, pgHint } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { currentLog } from "@/lib/log";
import { sendMail } from "@/lib/mail";
import { inviteEmail } from "@/lib/mail/templates";
import { emailHasAccount } from "@/modules/auth";
import { newInviteToken } from "./invites";
import {
  changeRoleSchema,
  INVITE_TTL_DAYS,
  inviteIdSchema,
  inviteSchema,
  memberIdSchema,
  orgSettingsSchema,
  profileSchema,
} from "./schema";

type Guard = { session: Session; error?: never } | { session?: never; error: ReturnType<typeof fail> };

async function authorize(permission: Permission): Promise<Guard> {
  const session = await getSession();
  if (!session) return { error: fail("Your session has expired. Sign in again.") };
  if (!can(session.role, permission)) return { error: fail("You don't have permission to do that.") };
  return { session };
}

/** Database refusals a person can cause, as messages. */
async function refusal(e: unknown, fallback: string) {
  const message = pgError(e)?.message;
  if (isRaised(e) && message) return fail(message);
  (await currentLog()).error({ err: e }, fallback);
  return fail(fallback);
}

function expiry() {
  return new Date(Date.now() + INVITE_TTL_DAYS * 24 * 3600 * 1000);
}

async function mailInvite(session: Session, to: string, role: keyof typeof ROLE_LABELS, token: string, expiresAt: Date) {
  await sendMail({
    to,
    ...inviteEmail({
      orgName: session.org.name,
      inviterName: session.user.name,
      role: ROLE_LABELS[role].toLowerCase(),
      url: new URL(`/invite/${token}`, env().APP_URL).toString(),
      expiresAt,
    }),
  });
}

export async function createInvite(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  const parsed = inviteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { email, role } = parsed.data;
  if (!assignableRoles(session.role).includes(role)) {
    return fail("Only an owner can invite another owner.", { role: "Only an owner can invite another owner" });
  }
  if (await emailHasAccount(email)) {
    return fail("This address already has a Covey account.", {
      email: "This address already has a Covey account, in this or another organization",
    });
  }
  const { token, hash } = newInviteToken();
  const expiresAt = expiry();
  try {
    await asMember(session, (tx) =>
      tx
        .insertInto("org_invites")
        .values({ org_id: session.org.id, email, role, token_hash: hash, invited_by: session.user.id, expires_at: expiresAt })
        .execute(),
    );
  } catch (e) {
    if (isUniqueViolation(e)) {
      return fail("An invitation to this address is already open. Resend it from the list instead.", {
        email: "An invitation to this address is already open",
      });
    }
    if (pgHint(e) === "domain_not_allowed") {
      return fail(pgError(e)!.message!, { email: pgError(e)!.message! });
    }
    return refusal(e, "Creating the invitation failed.");
  }
  await mailInvite(session, email, role, token, expiresAt);
  revalidatePath("/settings/members");
  return ok();
}

/** A new link (the old one stops working) and a fresh expiry. */
export async function resendInvite(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  const parsed = inviteIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { token, hash } = newInviteToken();
  const expiresAt = expiry();
  const row = await asMember(session, (tx) =>
    tx
      .updateTable("org_invites")
      .set({
        token_hash: hash,
        expires_at: expiresAt,
        last_sent_at: new Date(),
        sent_count: sql<number>`sent_count + 1`,
      })
      .where("id", "=", parsed.data.inviteId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .returning(["email", "role"])
      .executeTakeFirst(),
  );
  if (!row) return fail("That invitation no longer exists or was already used.");
  await mailInvite(session, row.email, row.role, token, expiresAt);
  revalidatePath("/settings/members");
  return ok();
}

export async function revokeInvite(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  const parsed = inviteIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const row = await asMember(session, (tx) =>
    tx
      .updateTable("org_invites")
      .set({ revoked_at: new Date() })
      .where("id", "=", parsed.data.inviteId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .returning("id")
      .executeTakeFirst(),
  );
  if (!row) return fail("That invitation no longer exists or was already used.");
  revalidatePath("/settings/members");
  return ok();
}

export async function changeMemberRole(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    const row = await asMember(session, (tx) =>
      tx
        .updateTable("org_members")
        .set({ role: parsed.data.role })
        .where("id", "=", parsed.data.memberId)
        .returning("id")
        .executeTakeFirst(),
    );
    if (!row) return fail("That member no longer exists.");
  } catch (e) {
    if (isInsufficientPrivilege(e) || pgError(e)?.code === "23514") return refusal(e, "Changing the role failed.");
    throw e;
  }
  revalidatePath("/settings/members");
  return ok();
}

export async function removeMember(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  const parsed = memberIdSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  try {
    await asMember(session, (tx) => sql`select public.remove_member(${parsed.data.memberId})`.execute(tx));
  } catch (e) {
    return refusal(e, "Removing the member failed.");
  }
  revalidatePath("/settings/members");
  return ok();
}

export async function updateOrgSettings(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("settings.manage");
  if (error) return error;
  const parsed = orgSettingsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const { name, defaultCurrency, allowedEmailDomains } = parsed.data;
  await asMember(session, (tx) =>
    tx
      .updateTable("orgs")
      .set({ name, default_currency: defaultCurrency, allowed_email_domains: allowedEmailDomains })
      .where("id", "=", session.org.id)
      .execute(),
  );
  revalidatePath("/", "layout");
  return ok();
}

export async function updateProfile(input: unknown): Promise<ActionResult> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  await asMember(session, (tx) =>
    tx.updateTable("profiles").set({ full_name: parsed.data.fullName }).where("user_id", "=", session.user.id).execute(),
  );
  revalidatePath("/", "layout");
  return ok();
}
