"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { actionFailure, authorize } from "@/lib/actions";
import { assignableRoles, ROLE_LABELS } from "@/lib/auth/permissions";
import { asMember, getSession, type Session } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { sql } from "@/lib/db";
import { isUniqueViolation, pgError, pgHint, throwRefusal } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { conflict, invalidFields, notFound, parseInput } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { inviteEmail } from "@/lib/mail/templates";
import { emailHasAccount } from "@/modules/auth";
import { newInviteToken } from "./invites";
import { saveProfile } from "./profile";
import {
  changeRoleSchema,
  INVITE_TTL_DAYS,
  inviteIdSchema,
  inviteSchema,
  memberIdSchema,
  orgSettingsSchema,
} from "./schema";

const inviteGone = () => notFound("That invitation no longer exists or was already used.");

function expiry() {
  return new Date(Date.now() + INVITE_TTL_DAYS * 24 * 3600 * 1000);
}

// The invitee has no account, so no zone of their own yet: the expiry is
// shown in the inviter's zone, the team's best guess, and says which it is.
async function mailInvite(session: Session, to: string, role: keyof typeof ROLE_LABELS, token: string, expiresAt: Date) {
  await sendMail({
    to,
    orgId: session.org.id,
    ...inviteEmail({
      orgName: session.org.name,
      inviterName: session.user.name,
      role: ROLE_LABELS[role].toLowerCase(),
      url: new URL(`/invite/${token}`, env().APP_URL).toString(),
      expiresAt,
      timeZone: await getTimeZone(),
    }),
  });
}

export async function createInvite(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  try {
    const { email, role } = parseInput(inviteSchema, input);
    if (!assignableRoles(session.role).includes(role)) {
      throw invalidFields({ role: "Only an owner can invite another owner" }, "Only an owner can invite another owner.");
    }
    if (await emailHasAccount(email)) {
      throw conflict("This address already has a Covey account.", {
        details: { email: ["This address already has a Covey account, in this or another organization"] },
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
        throw conflict("An invitation to this address is already open. Resend it from the list instead.", {
          details: { email: ["An invitation to this address is already open"] },
        });
      }
      if (pgHint(e) === "domain_not_allowed") throw invalidFields({ email: pgError(e)!.message! }, pgError(e)!.message!);
      throwRefusal(e);
    }
    await mailInvite(session, email, role, token, expiresAt);
  } catch (e) {
    return actionFailure(e, "Creating the invitation failed.");
  }
  revalidatePath("/settings/members");
  return ok();
}

/** A new link (the old one stops working) and a fresh expiry. */
export async function resendInvite(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  try {
    const { inviteId } = parseInput(inviteIdSchema, input);
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
        .where("id", "=", inviteId)
        .where("accepted_at", "is", null)
        .where("revoked_at", "is", null)
        .returning(["email", "role"])
        .executeTakeFirst(),
    );
    if (!row) throw inviteGone();
    await mailInvite(session, row.email, row.role, token, expiresAt);
  } catch (e) {
    return actionFailure(e, "Resending the invitation failed.");
  }
  revalidatePath("/settings/members");
  return ok();
}

export async function revokeInvite(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  try {
    const { inviteId } = parseInput(inviteIdSchema, input);
    const row = await asMember(session, (tx) =>
      tx
        .updateTable("org_invites")
        .set({ revoked_at: new Date() })
        .where("id", "=", inviteId)
        .where("accepted_at", "is", null)
        .where("revoked_at", "is", null)
        .returning("id")
        .executeTakeFirst(),
    );
    if (!row) throw inviteGone();
  } catch (e) {
    return actionFailure(e, "Revoking the invitation failed.");
  }
  revalidatePath("/settings/members");
  return ok();
}

export async function changeMemberRole(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  try {
    const { role, memberId } = parseInput(changeRoleSchema, input);
    const row = await asMember(session, (tx) =>
      tx.updateTable("org_members").set({ role }).where("id", "=", memberId).returning("id").executeTakeFirst(),
    ).catch((e) => throwRefusal(e));
    if (!row) throw notFound("That member no longer exists.");
  } catch (e) {
    return actionFailure(e, "Changing the role failed.");
  }
  revalidatePath("/settings/members");
  return ok();
}

export async function removeMember(input: unknown): Promise<ActionResult> {
  const { session, error } = await authorize("members.manage");
  if (error) return error;
  try {
    const { memberId } = parseInput(memberIdSchema, input);
    await asMember(session, (tx) => sql`select public.remove_member(${memberId})`.execute(tx)).catch((e) => throwRefusal(e));
  } catch (e) {
    return actionFailure(e, "Removing the member failed.");
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
  try {
    await asMember(session, (tx) => saveProfile(tx, session.user.id, input));
  } catch (e) {
    return actionFailure(e, "Saving your profile failed.");
  }
  // Every page shows times in the profile's zone.
  revalidatePath("/", "layout");
  return ok();
}
