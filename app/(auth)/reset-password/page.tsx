import type { Metadata } from "next";
import { AuthCard } from "@/modules/auth";
import { ResetPasswordForm } from "@/modules/auth/ui";

export const metadata: Metadata = { title: "Choose a new password" };

export default function ResetPasswordPage() {
  return (
    <AuthCard title="Choose a new password">
      <ResetPasswordForm />
    </AuthCard>
  );
}
