import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { secretsConfigured } from "@/lib/crypto/keyring";
import { isEmbedded } from "@/lib/env";
import { formatDateTime, formatRelative } from "@/lib/time";
import { gmailConfigured, listMailboxes, type MailboxState } from "@/modules/gmail";
import { DisconnectGmailButton } from "@/modules/gmail/ui";

export const metadata: Metadata = { title: "Gmail" };
export const dynamic = "force-dynamic";

const STATUS: Record<MailboxState["status"], { label: string; variant: "default" | "destructive" | "outline" }> = {
  connected: { label: "Connected", variant: "default" },
  revoked: { label: "Access revoked", variant: "destructive" },
  disconnected: { label: "Disconnected", variant: "outline" },
};
const SYNC: Record<MailboxState["syncState"], string> = {
  pending: "Waiting to start",
  importing: "Importing recent mail",
  synced: "Synced",
  error: "Not syncing",
};

/** A mailbox's sync state as it is: never "synced" while its last call failed. */
function syncText(m: MailboxState) {
  if (m.status === "revoked") return "Stopped: Google no longer accepts Covey's access";
  if (m.status === "disconnected") return "Stopped: disconnected";
  return SYNC[m.syncState];
}

export default async function GmailSettingsPage({ searchParams }: { searchParams: Promise<{ connected?: string; error?: string }> }) {
  const session = await requireSession();
  const [mailboxes, zone, query] = await Promise.all([asMember(session, (tx) => listMailboxes(tx)), getTimeZone(), searchParams]);
  const mine = mailboxes.find((m) => m.userId === session.user.id && m.status !== "disconnected") ?? null;
  const others = mailboxes.filter((m) => m.userId !== session.user.id);
  const missing = [...(secretsConfigured() ? [] : ["COVEY_SECRET_KEYS"]), ...(gmailConfigured() ? [] : ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"])];
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Gmail"
        description="Connect your own Gmail: email you send from a person, lead or deal goes out from it, and your threads with known contacts land on their timelines."
      />
      {query.error ? (
        <Alert variant="destructive">
          <AlertTitle>Gmail is not connected</AlertTitle>
          <AlertDescription>{query.error}</AlertDescription>
        </Alert>
      ) : null}
      {query.connected && mine?.status === "connected" ? (
        <Alert>
          <AlertTitle>Gmail connected</AlertTitle>
          <AlertDescription>{query.connected} is connected. Its recent threads with your contacts are being imported.</AlertDescription>
        </Alert>
      ) : null}
      {missing.length ? (
        <Alert variant="destructive">
          <AlertTitle>Not configured on this deployment</AlertTitle>
          <AlertDescription>Set {missing.join(", ")} in the app&apos;s and the Edge Functions&apos; environment (see .env.example) to connect Gmail.</AlertDescription>
        </Alert>
      ) : null}
      {isEmbedded() ? (
        <p className="text-sm text-muted-foreground">
          This is the local runtime: Connect goes to a Google stand-in&apos;s consent screen, and{" "}
          <Link href="/dev/gmail" className="underline underline-offset-4">
            /dev/gmail
          </Link>{" "}
          plays your contacts writing to the connected mailbox.
        </p>
      ) : null}
      <Card aria-label="Your Gmail">
        <CardHeader className="flex flex-wrap items-start justify-between gap-4">
          <div className="grid gap-1">
            <CardTitle>
              <h2>Your Gmail</h2>
            </CardTitle>
            <CardDescription>{mine ? mine.email : "Not connected"}</CardDescription>
          </div>
          <div className="flex flex-wrap gap-2">
            {missing.length ? null : (
              <Button asChild>
                {/* A full navigation: the route sets the state cookie and redirects to Google. */}
                <a href="/api/gmail/connect">{mine ? "Connect again" : "Connect Gmail"}</a>
              </Button>
            )}
            {mine ? <DisconnectGmailButton email={mine.email} /> : null}
          </div>
        </CardHeader>
        {mine ? (
          <CardContent>
            <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-[auto_1fr]" data-testid="gmail-sync-state">
              <dt className="text-muted-foreground">Status</dt>
              <dd>
                <Badge variant={STATUS[mine.status].variant}>{STATUS[mine.status].label}</Badge>
              </dd>
              <dt className="text-muted-foreground">Sync</dt>
              <dd>{syncText(mine)}</dd>
              <dt className="text-muted-foreground">Last sync</dt>
              <dd>{mine.lastSyncedAt ? `${formatDateTime(mine.lastSyncedAt, zone)} (${formatRelative(mine.lastSyncedAt)})` : "Never"}</dd>
              <dt className="text-muted-foreground">Emails imported</dt>
              <dd>{mine.messagesImported}</dd>
              {mine.lastError ? (
                <>
                  <dt className="text-muted-foreground">Last error</dt>
                  <dd className="text-destructive">
                    {mine.lastError}
                    {mine.lastErrorAt ? ` (${formatRelative(mine.lastErrorAt)})` : null}
                  </dd>
                </>
              ) : null}
              <dt className="text-muted-foreground">Connected</dt>
              <dd>{formatDateTime(mine.connectedAt, zone)}</dd>
            </dl>
          </CardContent>
        ) : null}
      </Card>
      {can(session.role, "integrations.manage") && others.length ? (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Members&apos; mailboxes</h2>
            </CardTitle>
          </CardHeader>
          <CardContent className="overflow-x-auto">
            <Table aria-label="Members' mailboxes">
              <TableHeader>
                <TableRow>
                  <TableHead>Member</TableHead>
                  <TableHead>Mailbox</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Sync</TableHead>
                  <TableHead>Last sync</TableHead>
                  <TableHead className="text-right">Imported</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {others.map((m) => (
                  <TableRow key={m.id}>
                    <TableCell>{m.userName}</TableCell>
                    <TableCell>{m.email}</TableCell>
                    <TableCell>
                      <Badge variant={STATUS[m.status].variant}>{STATUS[m.status].label}</Badge>
                    </TableCell>
                    <TableCell className="whitespace-normal">
                      {syncText(m)}
                      {m.lastError ? <span className="block text-xs text-destructive">{m.lastError}</span> : null}
                    </TableCell>
                    <TableCell>{m.lastSyncedAt ? formatRelative(m.lastSyncedAt) : "Never"}</TableCell>
                    <TableCell className="text-right">{m.messagesImported}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
