import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { listAudit } from "@/modules/orgs";

export const metadata: Metadata = { title: "Audit log" };

const PAGE = 100;

function summary(action: string, changes: unknown) {
  if (action !== "update" || !changes || typeof changes !== "object") return null;
  return Object.entries(changes as Record<string, [unknown, unknown]>)
    .map(([field, [from, to]]) => `${field}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`)
    .join("; ");
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const session = await requirePermission("audit.view");
  const zone = await getTimeZone();
  const { before } = await searchParams;
  const rows = await listAudit(session, { before, limit: PAGE });
  return (
    <div>
      <PageHeader title="Audit log" description="Every change in this organization: who, when and what." />
      <Card>
        <CardContent className="pt-6">
          {rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing recorded yet.</p>
          ) : (
            <Table aria-label="Audit log">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Who</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Record</TableHead>
                  <TableHead>Changes</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell className="whitespace-nowrap">{formatDateTime(r.created_at, zone)}</TableCell>
                    <TableCell>{r.actor_type === "user" ? (r.full_name || r.email || "Removed user") : "System"}</TableCell>
                    <TableCell>
                      <Badge variant="outline">{r.action}</Badge>
                    </TableCell>
                    <TableCell className="font-mono text-xs">{r.table_name}</TableCell>
                    <TableCell className="max-w-md truncate text-xs text-muted-foreground">{summary(r.action, r.changes)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {rows.length === PAGE ? (
            <div className="pt-4">
              <Button variant="outline" asChild>
                <Link href={`/settings/audit?before=${rows[rows.length - 1].id}`}>Older entries</Link>
              </Button>
            </div>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
