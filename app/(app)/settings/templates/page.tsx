import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { formatRelative } from "@/lib/time";
import { cn } from "@/lib/utils";
import { listTemplates } from "@/modules/templates";
import { ArchiveTemplateButton, CHANNEL_LABELS, TEMPLATE_CHANNELS, type TemplateChannel } from "@/modules/templates/ui";

export const metadata: Metadata = { title: "Templates" };

const firstLine = (html: string) =>
  html
    .replace(/<\/(p|li|blockquote)>|<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();

export default async function TemplatesPage(props: { searchParams: Promise<{ channel?: string }> }) {
  const session = await requirePermission("records.work");
  const { channel: asked } = await props.searchParams;
  const channel: TemplateChannel = TEMPLATE_CHANNELS.includes(asked as TemplateChannel) ? (asked as TemplateChannel) : "email";
  const templates = await asMember(session, (tx) => listTemplates(tx, { channel, archived: true }));
  const manages = can(session.role, "templates.manage");
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Templates"
        description="Texts and emails your team starts from in the compose drawer, with {{variables}} filled from the record. Everyone can write their own; managers and up can change any."
        actions={
          <Button asChild>
            <Link href={`/settings/templates/new?channel=${channel}`}>
              <Plus aria-hidden /> New {channel === "sms" ? "SMS" : "email"} template
            </Link>
          </Button>
        }
      />
      <nav aria-label="Channels" className="inline-flex h-9 w-fit items-center rounded-lg bg-muted p-[3px] text-muted-foreground">
        {TEMPLATE_CHANNELS.map((c) => (
          <Link
            key={c}
            href={`/settings/templates?channel=${c}`}
            aria-current={c === channel ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1 text-sm font-medium",
              c === channel && "bg-background text-foreground shadow-sm",
            )}
          >
            {CHANNEL_LABELS[c]}
          </Link>
        ))}
      </nav>
      <Card>
        <CardContent>
          {templates.length === 0 ? (
            <p className="text-sm text-muted-foreground">No {CHANNEL_LABELS[channel]} templates yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <Table aria-label={`${CHANNEL_LABELS[channel]} templates`}>
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>{channel === "email" ? "Subject" : "Message"}</TableHead>
                    <TableHead>Author</TableHead>
                    <TableHead>Updated</TableHead>
                    <TableHead className="sr-only">Actions</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {templates.map((t) => {
                    const mine = manages || t.createdBy === session.user.id;
                    return (
                      <TableRow key={t.id} className={t.archivedAt ? "text-muted-foreground" : undefined}>
                        <TableCell className="font-medium">
                          <Link href={`/settings/templates/${t.id}`} className="underline-offset-4 hover:underline">
                            {t.name}
                          </Link>
                          {t.archivedAt ? (
                            <Badge variant="secondary" className="ml-2">
                              Archived
                            </Badge>
                          ) : null}
                        </TableCell>
                        <TableCell className="max-w-md truncate">{channel === "email" ? t.subject : firstLine(t.body)}</TableCell>
                        <TableCell>{t.createdByName ?? "Covey starter"}</TableCell>
                        <TableCell>{formatRelative(t.updatedAt)}</TableCell>
                        <TableCell className="text-right">{mine ? <ArchiveTemplateButton id={t.id} name={t.name} archived={!!t.archivedAt} /> : null}</TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
