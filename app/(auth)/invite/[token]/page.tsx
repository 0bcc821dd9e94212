import type { Metadata } from "next";
import Link from "next/link";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { AuthCard, Divider, INVITE_STATUS_MESSAGES, previewInvite } from "@/modules/auth";
import { AcceptInviteForm, GoogleInviteButton } from "@/modules/auth/ui";

export const metadata: Metadata = { title: "Accept invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = token.length >= 16 && token.length <= 200 ? await previewInvite(token) : null;
  const signIn = (
    <Link href="/sign-in" className="font-medium text-foreground underline underline-offset-4">
      Go to sign in
    </Link>
  );
  if (!invite) {
    return (
      <AuthCard title="Invitation not found" footer={signIn}>
        <p className="text-sm">This invitation link is not valid. Check that you opened the whole link from the email.</p>
      </AuthCard>
    );
  }
  if (invite.status !== "pending") {
    return (
      <AuthCard title={`Join ${invite.orgName}`} footer={signIn}>
        <p role="alert" className="text-sm">{INVITE_STATUS_MESSAGES[invite.status]}</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${invite.orgName}`}
      description={`You were invited as ${ROLE_LABELS[invite.role].toLowerCase()}. Set up your account to continue.`}
    >
      <GoogleInviteButton token={token} />
      <Divider />
      <AcceptInviteForm token={token} email={invite.email} />
    </AuthCard>
  );
}
