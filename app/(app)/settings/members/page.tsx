import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { assignableRoles, can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDay } from "@/lib/time";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listInvites, listMembers } from "@/modules/orgs";
import { teamNamesByMember } from "@/modules/teams";
import { InviteForm, InviteMenu, RemoveMemberButton, RoleSelect } from "@/modules/orgs/ui";

export const metadata: Metadata = { title: "Members" };


const STATUS_VARIANT = { pending: "secondary", expired: "outline", revoked: "outline", accepted: "default" } as const;

export default async function MembersPage() {
  const session = await requirePermission("members.view");
  const zone = await getTimeZone();
  const manage = can(session.role, "members.manage");
  const [members, invites, teams] = await Promise.all([
    listMembers(session),
    manage ? listInvites(session) : [],
    asMember(session, (tx) => teamNamesByMember(tx)),
  ]);
  const roles = assignableRoles(session.role);
  const open = invites.filter((i) => i.status !== "revoked");

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title="Members" description={`People in ${session.org.name} and what they can do.`} />
      {manage ? (
        <Card>
          <CardHeader>
            <CardTitle>Invite a teammate</CardTitle>
            <CardDescription>They get an email with a link that works once and expires in 7 days.</CardDescription>
          </CardHeader>
          <CardContent>
            <InviteForm roles={roles} />
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Everyone ({members.length})</CardTitle>
        </CardHeader>
        <CardContent>
          <Table aria-label="Members">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Teams</TableHead>
                <TableHead>Joined</TableHead>
                {manage ? <TableHead className="w-24"><span className="sr-only">Actions</span></TableHead> : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.map((m) => {
                const self = m.user_id === session.user.id;
                const name = m.full_name || m.email;
                // Owners are managed by owners only; nobody edits themselves here.
                const editable = manage && !self && (m.role !== "owner" || can(session.role, "owners.manage"));
                return (
                  <TableRow key={m.id}>
                    <TableCell className="font-medium">
                      {name}
                      {self ? <span className="ml-2 text-xs text-muted-foreground">(you)</span> : null}
                    </TableCell>
                    <TableCell>{m.email}</TableCell>
                    <TableCell>
                      {editable ? (
                        <RoleSelect memberId={m.id} name={name} role={m.role} roles={roles} />
                      ) : (
                        <Badge variant="secondary">{ROLE_LABELS[m.role]}</Badge>
                      )}
                    </TableCell>
                    <TableCell>
                      {teams[m.user_id]?.length ? (
                        <span className="flex flex-wrap gap-1">
                          {teams[m.user_id].map((t) => (
                            <Badge key={t} variant="outline">
                              {t}
                            </Badge>
                          ))}
                        </span>
                      ) : (
                        <span className="text-muted-foreground">None</span>
                      )}
                    </TableCell>
                    <TableCell>{formatDay(m.created_at, zone)}</TableCell>
                    {manage ? <TableCell>{editable ? <RemoveMemberButton memberId={m.id} name={name} /> : null}</TableCell> : null}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      {manage ? (
        <Card>
          <CardHeader>
            <CardTitle>Invitations</CardTitle>
            <CardDescription>Open and expired invitations. Resending makes a new link and the old one stops working.</CardDescription>
          </CardHeader>
          <CardContent>
            {open.length === 0 ? (
              <p className="text-sm text-muted-foreground">No open invitations.</p>
            ) : (
              <Table aria-label="Invitations">
                <TableHeader>
                  <TableRow>
                    <TableHead>Email</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Expires</TableHead>
                    <TableHead className="w-12"><span className="sr-only">Actions</span></TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {open.map((i) => (
                    <TableRow key={i.id}>
                      <TableCell className="font-medium">{i.email}</TableCell>
                      <TableCell>{ROLE_LABELS[i.role]}</TableCell>
                      <TableCell>
                        <Badge variant={STATUS_VARIANT[i.status]}>{i.status}</Badge>
                      </TableCell>
                      <TableCell>{formatDay(i.expires_at, zone)}</TableCell>
                      <TableCell>
                        <InviteMenu inviteId={i.id} email={i.email} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
