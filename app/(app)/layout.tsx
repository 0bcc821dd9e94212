import { AppShell } from "@/components/app-shell/app-shell";
import { requireSession } from "@/lib/auth/session";
import { signOut } from "@/modules/auth/ui";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  return (
    <AppShell user={session.user} org={session.org} role={session.role} signOutAction={signOut}>
      {children}
    </AppShell>
  );
}
