import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getTimeZone } from "@/lib/auth/time-zone";
import { asMember, requirePermission } from "@/lib/auth/session";
import { maskedSecret } from "@/lib/crypto/envelope";
import { secretsConfigured } from "@/lib/crypto/keyring";
import { isEmbedded } from "@/lib/env";
import { formatDateTime, formatRelative } from "@/lib/time";
import { listMemberOptions } from "@/modules/crm/lists";
import { listTeamOptions } from "@/modules/teams";
import { getTwilioAccount, listPhones } from "@/modules/twilio";
import { ConnectTwilioDialog, DisconnectTwilioButton, PhoneDialog, RemovePhoneButton, TestTwilioButton, VoiceSettingsDialog } from "@/modules/twilio/ui";

export const metadata: Metadata = { title: "Numbers" };

const STATUS: Record<string, { label: string; variant: "outline" | "destructive" | "secondary" }> = {
  ok: { label: "Working", variant: "outline" },
  failed: { label: "Refused", variant: "destructive" },
  unknown: { label: "Not tested", variant: "secondary" },
};

export default async function NumbersPage() {
  const session = await requirePermission("integrations.manage");
  const [{ account, phones, members, teams }, zone] = await Promise.all([
    asMember(session, async (tx) => ({
      account: await getTwilioAccount(tx),
      phones: await listPhones(tx),
      members: await listMemberOptions(tx),
      teams: await listTeamOptions(tx),
    })),
    getTimeZone(),
  ]);
  const configured = secretsConfigured();
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Numbers"
        description="Your Twilio account and the numbers customers text and call. Texts land on the sender's record; replies go out from the same number."
        actions={<PhoneDialog members={members} teams={teams} />}
      />
      {!configured ? (
        <Alert variant="destructive">
          <AlertTitle>Not configured on this deployment</AlertTitle>
          <AlertDescription>Set COVEY_SECRET_KEYS in the app&apos;s and the Edge Functions&apos; environment (see .env.example) to store Twilio credentials.</AlertDescription>
        </Alert>
      ) : null}
      {isEmbedded() ? (
        <p className="text-sm text-muted-foreground">
          This is the local runtime: Twilio is a stand-in, and{" "}
          <Link href="/dev/phone" className="underline underline-offset-4">
            /dev/phone
          </Link>{" "}
          plays a customer texting your numbers, through the real webhook.
        </p>
      ) : null}
      <Card aria-label="Twilio account">
        <CardHeader className="flex flex-wrap items-start justify-between gap-4">
          <div className="grid gap-1">
            <CardTitle>Twilio account</CardTitle>
            <CardDescription>{account ? (account.friendlyName ?? "Connected") : "Connect the account that owns your numbers."}</CardDescription>
          </div>
          <div className="flex flex-wrap gap-2">
            {configured ? <ConnectTwilioDialog accountSid={account?.accountSid} /> : null}
            {account ? <DisconnectTwilioButton /> : null}
          </div>
        </CardHeader>
        {account ? (
          <CardContent className="grid gap-6">
            <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
              <dt className="text-muted-foreground">Account SID</dt>
              <dd className="font-mono break-all">{account.accountSid}</dd>
              <dt className="text-muted-foreground">Auth token</dt>
              <dd className="font-mono" data-testid="twilio-auth-token">
                {maskedSecret(account.authTokenHint)}
              </dd>
              {account.apiKeySid ? (
                <>
                  <dt className="text-muted-foreground">API key</dt>
                  <dd className="font-mono break-all">
                    {account.apiKeySid} · {maskedSecret(account.apiKeySecretHint ?? "")}
                  </dd>
                </>
              ) : null}
              <dt className="text-muted-foreground">Status</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <Badge variant={STATUS[account.status].variant}>{STATUS[account.status].label}</Badge>
                {account.checkedAt ? <span className="text-muted-foreground">checked {formatRelative(account.checkedAt)}</span> : null}
              </dd>
              {account.checkError ? (
                <>
                  <dt className="text-muted-foreground">Last error</dt>
                  <dd className="text-destructive">{account.checkError}</dd>
                </>
              ) : null}
              <dt className="text-muted-foreground">Connected</dt>
              <dd>{formatDateTime(account.createdAt, zone)}</dd>
            </dl>
            <TestTwilioButton />
          </CardContent>
        ) : null}
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Phone numbers</CardTitle>
          <CardDescription>A number belongs to one workspace. Inbound texts find their workspace by the number they were sent to.</CardDescription>
        </CardHeader>
        <CardContent>
          <div className="overflow-x-auto">
            <Table aria-label="Phone numbers">
              <TableHeader>
                <TableRow>
                  <TableHead>Number</TableHead>
                  <TableHead>Label</TableHead>
                  <TableHead>Used for</TableHead>
                  <TableHead>Default owner or team</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {phones.length === 0 ? (
                  <TableRow>
                    <TableCell colSpan={5} className="whitespace-normal text-muted-foreground">
                      No numbers yet. Add the Twilio numbers your team texts and calls from.
                    </TableCell>
                  </TableRow>
                ) : null}
                {phones.map((p) => (
                  <TableRow key={p.id}>
                    <TableCell className="font-mono">{p.number}</TableCell>
                    <TableCell>{p.label || <span className="text-muted-foreground">—</span>}</TableCell>
                    <TableCell className="flex flex-wrap gap-1">
                      {p.smsEnabled ? <Badge variant="outline">Texts</Badge> : null}
                      {p.voiceEnabled ? <Badge variant="outline">Calls</Badge> : null}
                    </TableCell>
                    <TableCell>
                      {p.defaultTeamName ? (
                        <>
                          {p.defaultTeamName} <span className="text-muted-foreground">(team)</span>
                        </>
                      ) : (
                        (p.defaultOwnerName ?? <span className="text-muted-foreground">Nobody</span>)
                      )}
                    </TableCell>
                    <TableCell className="text-right whitespace-nowrap">
                      <VoiceSettingsDialog id={p.id} number={p.number} voice={p.voice} />
                      <PhoneDialog
                        members={members}
                        teams={teams}
                        phone={{
                          id: p.id,
                          number: p.number,
                          label: p.label,
                          smsEnabled: p.smsEnabled,
                          voiceEnabled: p.voiceEnabled,
                          defaultOwnerId: p.defaultOwnerId ?? "",
                          defaultTeamId: p.defaultTeamId ?? "",
                        }}
                      />
                      <RemovePhoneButton id={p.id} number={p.number} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
