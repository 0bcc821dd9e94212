import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { asMember, requirePermission } from "@/lib/auth/session";
import { formatRelative } from "@/lib/time";
import { listForms } from "@/modules/forms";

export const metadata: Metadata = { title: "Web forms" };

const count = (n: number) => n.toLocaleString("en-US");

export default async function WebFormsPage() {
  const session = await requirePermission("settings.manage");
  const forms = await asMember(session, (tx) => listForms(tx));
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Web forms"
        description="Forms on your website or on a Covey page that turn visitors into leads, with spam kept out."
        actions={
          <Button asChild>
            <Link href="/settings/forms/new">
              <Plus aria-hidden /> New form
            </Link>
          </Button>
        }
      />
      <Card>
        <CardContent>
          {forms.length === 0 ? (
            <p className="text-sm text-muted-foreground">No forms yet. Create one to get a link and a snippet for your site.</p>
          ) : (
            <div className="overflow-x-auto">
              <Table aria-label="Web forms">
                <TableHeader>
                  <TableRow>
                    <TableHead>Form</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead className="text-right">Accepted</TableHead>
                    <TableHead className="text-right">Spam</TableHead>
                    <TableHead className="text-right">Rejected</TableHead>
                    <TableHead>Last submission</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {forms.map((f) => (
                    <TableRow key={f.id}>
                      <TableCell>
                        <Link href={`/settings/forms/${f.id}`} className="font-medium underline-offset-4 hover:underline">
                          {f.name}
                        </Link>
                        <span className="block font-mono text-xs text-muted-foreground">/f/{f.key}</span>
                      </TableCell>
                      <TableCell>{f.enabled ? <Badge>Live</Badge> : <Badge variant="outline">Off</Badge>}</TableCell>
                      <TableCell className="text-right tabular-nums">{count(f.accepted)}</TableCell>
                      <TableCell className="text-right tabular-nums">{count(f.spam)}</TableCell>
                      <TableCell className="text-right tabular-nums">{count(f.rejected)}</TableCell>
                      <TableCell className="text-sm text-muted-foreground">
                        {f.last_submission_at ? formatRelative(f.last_submission_at) : "None yet"}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
