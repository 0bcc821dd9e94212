import type { Metadata } from "next";
import Link from "next/link";
import { FormError } from "@/components/forms/form-error";
import { AuthCard, Divider, signupMode } from "@/modules/auth";
import { GOOGLE_SIGN_IN_ERRORS, GoogleSignInButton, safeNext, SignInForm } from "@/modules/auth/ui";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  link_invalid: "That link has expired or was already used. Ask for a new one.",
  ...GOOGLE_SIGN_IN_ERRORS,
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const open = (await signupMode()) === "open";
  return (
    <AuthCard
      title="Sign in to Covey"
      description="Welcome back. Sign in to your workspace."
      footer={
        open ? (
          <>
            New to Covey?&nbsp;
            <Link href="/sign-up" className="font-medium text-foreground underline underline-offset-4">
              Create an organization
            </Link>
          </>
        ) : null
      }
    >
      <FormError message={params.error ? ERRORS[params.error] : null} />
      <GoogleSignInButton next={params.next ? safeNext(params.next) : undefined} />
      <Divider />
      <SignInForm next={params.next ? safeNext(params.next) : undefined} />
    </AuthCard>
  );
}
