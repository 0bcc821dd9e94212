import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireSession } from "@/lib/auth/session";
import { listMembers } from "@/modules/orgs/queries";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const session = await requireSession();
  const members = await listMembers(session);
  const firstName = session.user.name.split(" ")[0];
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title={`Welcome, ${firstName}`} description={`Here is what is happening at ${session.org.name}.`} />
      <div className="grid gap-4 md:grid-cols-3">
        <Card>
          <CardHeader>
            <CardDescription>Team members</CardDescription>
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
      </div>
    </div>
  );
}
