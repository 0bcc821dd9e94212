import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession, type Session } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { UpcomingDates } from "@/modules/crm/dates";
import { DashboardSkeleton, loadDashboard, MyTasksCard, NewPeopleCard, OpenDealsCard, RecentTimelineCard } from "@/modules/crm/dashboard";
import { listMembers } from "@/modules/orgs";
import { FailingEndpointsBanner } from "@/modules/webhooks";

export const metadata: Metadata = { title: "Dashboard" };

// The skeleton is a Suspense fallback here rather than a loading.tsx: at the
// root of the (app) group a loading.tsx would also stand in for every other
// page while it loads.
export default async function DashboardPage() {
  const session = await requireSession();
  const timeZone = await getTimeZone();
  const firstName = session.user.name.split(" ")[0];
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title={`Welcome, ${firstName}`} description={`Here is what is happening at ${session.org.name}.`} />
      <FailingEndpointsBanner session={session} />
      <Suspense fallback={<DashboardSkeleton />}>
        <DashboardCards session={session} timeZone={timeZone} />
      </Suspense>
    </div>
  );
}

async function DashboardCards({ session, timeZone }: { session: Session; timeZone: string }) {
  const now = new Date();
  const [members, dashboard] = await Promise.all([
    listMembers(session),
    asMember(session, (tx) => loadDashboard(tx, session.user.id, now, timeZone)),
  ]);
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <NewPeopleCard counts={dashboard.newPeople} />
        <Card>
          <CardHeader>
            <CardDescription>
              <h2>Team members</h2>
            </CardDescription>
            <CardTitle className="text-3xl tabular-nums" data-testid="member-count">
              {members.length}
            </CardTitle>
          </CardHeader>
          <CardContent>
            <Button variant="outline" size="sm" asChild>
              <Link href="/settings/members">{can(session.role, "members.manage") ? "Invite teammates" : "See the team"}</Link>
            </Button>
          </CardContent>
        </Card>
        <div className="md:col-span-2 xl:col-span-1">
          <MyTasksCard tasks={dashboard.myTasks} timeZone={timeZone} />
        </div>
      </div>
      <UpcomingDates session={session} timeZone={timeZone} />
      <div className="grid gap-4 lg:grid-cols-2">
        <OpenDealsCard data={dashboard.openDeals} />
        <RecentTimelineCard items={dashboard.timeline} now={now} timeZone={timeZone} />
      </div>
    </div>
  );
}
