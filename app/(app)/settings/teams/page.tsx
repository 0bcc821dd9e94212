import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listMemberOptions } from "@/modules/crm/lists";
import { listTeams } from "@/modules/teams";
import { NewTeamForm, TeamCard } from "@/modules/teams/ui";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const session = await requirePermission("members.view");
  const manage = can(session.role, "members.manage");
  const { teams, members } = await asMember(session, async (tx) => ({ teams: await listTeams(tx), members: await listMemberOptions(tx) }));
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Teams"
        description="Groups of members, such as Intake and Case management or SDRs and AEs. A pipeline stage can be restricted to teams as well as roles, and a number's texts from strangers can go to a team."
      />
      {manage ? (
        <Card>
          <CardHeader>
            <CardTitle>New team</CardTitle>
            <CardDescription>Names are unique in the workspace. A member can be in several teams.</CardDescription>
          </CardHeader>
          <CardContent>
            <NewTeamForm />
          </CardContent>
        </Card>
      ) : null}
      {teams.length === 0 ? <p className="text-sm text-muted-foreground">No teams yet.</p> : null}
      {teams.map((t) => (
        <TeamCard key={t.id} team={t} members={members} manage={manage} />
      ))}
    </div>
  );
}
