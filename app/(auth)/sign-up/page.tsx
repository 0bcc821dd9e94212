import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard, signupMode } from "@/modules/auth";
import { SignUpForm } from "@/modules/auth/ui";

export const metadata: Metadata = { title: "Create your organization" };

export default async function SignUpPage() {
  const open = (await signupMode()) === "open";
  const signInLink = (
    <>
      Already have an account?&nbsp;
      <Link href="/sign-in" className="font-medium text-foreground underline underline-offset-4">
        Sign in
      </Link>
    </>
  );
  return (
    <AuthCard
      title="Create your organization"
      description={open ? "You will be its owner and can invite your team." : undefined}
      footer={signInLink}
    >
      {open ? (
        <SignUpForm />
      ) : (
        <p className="text-sm">
          Sign-up is by invitation only on this Covey. Ask an administrator of your organization to invite you.
        </p>
      )}
    </AuthCard>
  );
}
