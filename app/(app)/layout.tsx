import { AppShell } from "@/components/app-shell/app-shell";
import { TimeZoneProvider } from "@/components/time-zone";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { browserTimeZone, getTimeZone } from "@/lib/auth/time-zone";
import { signOut } from "@/modules/auth/ui";
import { listPipelineNouns } from "@/modules/crm/pipelines";
import { pipelineNavEntries } from "@/modules/crm/pipelines/ui";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  const [zone, browserZone, pipelines] = await Promise.all([
    getTimeZone(),
    browserTimeZone(),
    can(session.role, "records.work") ? asMember(session, listPipelineNouns) : [],
  ]);
  return (
    <TimeZoneProvider zone={zone} browserZone={browserZone} followsBrowser={!session.user.timeZone}>
      <AppShell user={session.user} org={session.org} role={session.role} signOutAction={signOut} pipelineNav={pipelineNavEntries(pipelines)}>
        {children}
      </AppShell>
    </TimeZoneProvider>
  );
}
