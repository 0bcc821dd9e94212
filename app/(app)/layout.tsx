import { AppShell } from "@/components/app-shell/app-shell";
import { TimeZoneProvider } from "@/components/time-zone";
import { requireSession } from "@/lib/auth/session";
import { browserTimeZone, getTimeZone } from "@/lib/auth/time-zone";
import { signOut } from "@/modules/auth/ui";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  const [zone, browserZone] = await Promise.all([getTimeZone(), browserTimeZone()]);
  return (
    <TimeZoneProvider zone={zone} browserZone={browserZone} followsBrowser={!session.user.timeZone}>
      <AppShell user={session.user} org={session.org} role={session.role} signOutAction={signOut}>
        {children}
      </AppShell>
    </TimeZoneProvider>
  );
}
