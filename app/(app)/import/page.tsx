import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { listImports } from "@/modules/crm/import";
import { OBJECT_LABELS, UndoImportButton, UploadForm } from "@/modules/crm/import/ui";

export const metadata: Metadata = { title: "Import" };

const STATUS: Record<string, { label: string; variant: "default" | "secondary" | "outline" }> = {
  pending: { label: "Not imported yet", variant: "outline" },
  completed: { label: "Imported", variant: "default" },
  undone: { label: "Undone", variant: "secondary" },
};

export default async function ImportPage() {
  const session = await requirePermission("records.work");
  const zone = await getTimeZone();
  const imports = await asMember(session, (tx) => listImports(tx, { limit: 50 }));
  const canUndo = can(session.role, "records.delete");
  const n = (v: number) => v.toLocaleString("en-US");
  return (
    <div className="grid gap-6">
      <PageHeader title="Import" description="Bring people, companies or deals in from a CSV file: map columns, check every row, then import all at once." />
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Upload a file</h2>
          </CardTitle>
          <CardDescription>Nothing is saved to your records until you have checked the preview and confirmed.</CardDescription>
        </CardHeader>
        <CardContent>
          <UploadForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Import history</h2>
          </CardTitle>
          {canUndo ? null : <CardDescription>Only owners and admins can undo an import.</CardDescription>}
        </CardHeader>
        <CardContent>
          {imports.length === 0 ? (
            <p className="text-sm text-muted-foreground">No imports yet.</p>
          ) : (
            <Table aria-label="Import history">
              <TableHeader>
                <TableRow>
                  <TableHead>File</TableHead>
                  <TableHead>Records</TableHead>
                  <TableHead>Who</TableHead>
                  <TableHead>When</TableHead>
                  <TableHead className="text-right">Created</TableHead>
                  <TableHead className="text-right">Updated</TableHead>
                  <TableHead className="text-right">Skipped</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {imports.map((i) => (
                  <TableRow key={i.id}>
                    <TableCell className="max-w-56 truncate font-medium">
                      {i.status === "pending" ? <Link className="underline underline-offset-4" href={`/import/${i.id}`}>{i.fileName}</Link> : i.fileName}
                    </TableCell>
                    <TableCell>{OBJECT_LABELS[i.objectType].many}</TableCell>
                    <TableCell>{i.createdByName ?? "Removed user"}</TableCell>
                    <TableCell className="whitespace-nowrap">{formatDateTime(i.committedAt ?? i.createdAt, zone)}</TableCell>
                    <TableCell className="text-right">{i.status === "pending" ? "—" : n(i.createdCount)}</TableCell>
                    <TableCell className="text-right">{i.status === "pending" ? "—" : n(i.updatedCount)}</TableCell>
                    <TableCell className="text-right">{i.status === "pending" ? "—" : n(i.skippedCount)}</TableCell>
                    <TableCell>
                      <Badge variant={STATUS[i.status].variant}>{STATUS[i.status].label}</Badge>
                    </TableCell>
                    <TableCell className="text-right">
                      {i.status === "completed" && canUndo ? (
                        <UndoImportButton id={i.id} fileName={i.fileName} created={i.createdCount + i.linkedCreatedCount} updated={i.updatedCount} />
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
