import type { Metadata } from "next";
import Link from "next/link";
import { FormError } from "@/components/forms/form-error";
import { AuthCard, signupMode } from "@/modules/auth";
import { safeNext, SignInForm } from "@/modules/auth/ui";

export const metadata: Metadata = { title: "Sign in" };

const LINK_ERRORS: Record<string, string> = {
  link_invalid: "That link has expired or was already used. Ask for a new one.",
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
      <FormError message={params.error ? LINK_ERRORS[params.error] : null} />
      <SignInForm next={params.next ? safeNext(params.next) : undefined} />
    </AuthCard>
  );
}
