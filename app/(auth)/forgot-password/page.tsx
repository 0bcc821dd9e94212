import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/modules/auth";
import { ForgotPasswordForm } from "@/modules/auth/ui";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard
      title="Forgot your password?"
      description="We will email you a link to choose a new one."
      footer={
        <Link href="/sign-in" className="font-medium text-foreground underline underline-offset-4">
          Back to sign in
        </Link>
      }
    >
      <ForgotPasswordForm />
    </AuthCard>
  );
}
