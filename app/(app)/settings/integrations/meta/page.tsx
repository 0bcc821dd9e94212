import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { getTimeZone } from "@/lib/auth/time-zone";
import { asMember, requirePermission } from "@/lib/auth/session";
import { secretsConfigured } from "@/lib/crypto/keyring";
import { maskedSecret } from "@/lib/crypto/envelope";
import { isEmbedded } from "@/lib/env";
import { formatDateTime, formatDay, formatRelative } from "@/lib/time";
import { listPipelines } from "@/modules/crm/pipelines";
import { listLeadStatuses } from "@/modules/leads";
import { AdAccountsCard, listAdAccounts, listConversionStages, listMetaPages, TokenStatusBadge } from "@/modules/meta";
import {
  ConnectPageDialog,
  ConversionStagesForm,
  CreatesLeadsToggle,
  DatasetForm,
  DisconnectPageButton,
  MappingDialog,
  TestConnectionButton,
} from "@/modules/meta/ui";

export const metadata: Metadata = { title: "Meta Lead Ads" };

export default async function MetaIntegrationPage() {
  const session = await requirePermission("integrations.manage");
  const [[pages, stages, statuses, accounts, pipelines], zone] = await Promise.all([
    asMember(session, (tx) =>
      Promise.all([
        listMetaPages(tx),
        listConversionStages(tx),
        listLeadStatuses(tx, { includeArchived: true }),
        listAdAccounts(tx),
        listPipelines(tx),
      ]),
    ),
    getTimeZone(),
  ]);
  const stageStatuses = statuses.filter((s) => !s.archived || stages.some((m) => m.status === s.key));
  const dealStages = pipelines.flatMap((p) => p.stages.map((s) => ({ stageId: s.id, stageName: s.name, pipelineName: p.name })));
  const missing = [
    ...(secretsConfigured() ? [] : ["COVEY_SECRET_KEYS"]),
    ...["META_APP_ID", "META_APP_SECRET", "META_VERIFY_TOKEN"].filter((n) => !process.env[n]),
  ];
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Meta Lead Ads"
        description="Facebook and Instagram lead forms become Covey leads within seconds: Meta calls the webhook, Covey fetches the lead with the page's token. What the ads cost is imported daily, per campaign."
        actions={missing.length ? null : <ConnectPageDialog />}
      />
      {missing.length ? (
        <Alert variant="destructive">
          <AlertTitle>Not configured on this deployment</AlertTitle>
          <AlertDescription>
            Set {missing.join(", ")} in the app&apos;s and the Edge Functions&apos; environment (see .env.example) to connect pages.
          </AlertDescription>
        </Alert>
      ) : null}
      {isEmbedded() ? (
        <p className="text-sm text-muted-foreground">
          This is the local runtime: pages talk to a Graph API stand-in, and{" "}
          <Link href="/dev/meta" className="underline underline-offset-4">
            /dev/meta
          </Link>{" "}
          plays a Facebook user submitting a lead form, through the real webhook.
        </p>
      ) : null}
      {pages.length === 0 ? (
        <Card>
          <CardContent>
            <p className="text-sm text-muted-foreground">
              No pages connected. Connect a page with its ID and a page access token to choose which of its lead forms create leads.
            </p>
          </CardContent>
        </Card>
      ) : null}
      {pages.length ? (
        <Card aria-labelledby="conversion-stages-heading" role="region">
          <CardHeader>
            <CardTitle>
              <h2 id="conversion-stages-heading">Conversions API stages</h2>
            </CardTitle>
            <CardDescription>
              When a lead from a page with a Conversions API dataset reaches one of these stages, or the deal it became enters one, Covey
              sends Meta the event named here (with the hashed email and phone) within seconds, once per lead and event, so campaigns
              optimise for leads that become business.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ConversionStagesForm
              key={JSON.stringify(stages)}
              stages={stages}
              statuses={stageStatuses.map((s) => ({ key: s.key, label: s.label }))}
              dealStages={dealStages}
            />
          </CardContent>
        </Card>
      ) : null}
      {pages.map((page) => (
        <Card key={page.id} aria-label={`Page ${page.name}`}>
          <CardHeader className="flex flex-wrap items-start justify-between gap-4">
            <div className="grid gap-1">
              <CardTitle>{page.name}</CardTitle>
              <CardDescription>
                Page ID <span className="font-mono">{page.pageId}</span>
              </CardDescription>
            </div>
            <div className="flex flex-wrap gap-2">
              <ConnectPageDialog pageId={page.pageId} />
              <DisconnectPageButton id={page.id} name={page.name} />
            </div>
          </CardHeader>
          <CardContent className="grid gap-6">
            <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
              <dt className="text-muted-foreground">Page access token</dt>
              <dd className="font-mono" data-testid="meta-token">
                {maskedSecret(page.tokenHint)}
              </dd>
              <dt className="text-muted-foreground">Token status</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <TokenStatusBadge status={page.tokenStatus} />
                <span className="text-muted-foreground">
                  {page.tokenExpiresAt ? `expires ${formatDay(page.tokenExpiresAt, zone)}` : "no expiry"}
                  {page.tokenCheckedAt ? ` · checked ${formatRelative(page.tokenCheckedAt)}` : null}
                </span>
              </dd>
              {page.tokenError ? (
                <>
                  <dt className="text-muted-foreground">Last error</dt>
                  <dd className="text-destructive">{page.tokenError}</dd>
                </>
              ) : null}
              <dt className="text-muted-foreground">Connected</dt>
              <dd>{formatDateTime(page.createdAt, zone)}</dd>
            </dl>
            <TestConnectionButton id={page.id} />
            <div className="overflow-x-auto">
              <Table aria-label={`Lead forms of ${page.name}`}>
                <TableHeader>
                  <TableRow>
                    <TableHead>Lead form</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Creates leads</TableHead>
                    <TableHead className="text-right">Mapping</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.forms.length === 0 ? (
                    <TableRow>
                      <TableCell colSpan={4} className="text-muted-foreground">
                        Meta lists no lead forms for this page. Test the connection to fetch them again.
                      </TableCell>
                    </TableRow>
                  ) : null}
                  {page.forms.map((form) => (
                    <TableRow key={form.id}>
                      <TableCell className="whitespace-normal">
                        <span className="font-medium">{form.name}</span>
                        <span className="block font-mono text-xs text-muted-foreground">{form.formId}</span>
                      </TableCell>
                      <TableCell>
                        <Badge variant="outline">{form.status.toLowerCase()}</Badge>
                      </TableCell>
                      <TableCell>
                        <CreatesLeadsToggle id={form.id} name={form.name} checked={form.createsLeads} />
                      </TableCell>
                      <TableCell className="text-right">
                        <MappingDialog id={form.id} name={form.name} questions={form.questions} mapping={form.mapping} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <DatasetForm id={page.id} datasetId={page.conversionsDatasetId} />
            {page.conversions.length ? (
              <div className="overflow-x-auto">
                <Table aria-label={`Conversion events of ${page.name}`}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Event</TableHead>
                      <TableHead>Lead</TableHead>
                      <TableHead>Result</TableHead>
                      <TableHead className="text-right">When</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {page.conversions.map((c) => (
                      <TableRow key={c.id}>
                        <TableCell>{c.eventName}</TableCell>
                        <TableCell>
                          {c.leadId ? (
                            <Link href={`/leads/${c.leadId}`} className="underline underline-offset-4">
                              Open lead
                            </Link>
                          ) : (
                            <span className="text-muted-foreground">Deleted lead</span>
                          )}
                        </TableCell>
                        <TableCell className="whitespace-normal">
                          {c.status === "sent" ? (
                            <Badge variant="outline">Sent</Badge>
                          ) : (
                            <span className="text-destructive">Failed: {c.error}</span>
                          )}
                        </TableCell>
                        <TableCell className="text-right text-muted-foreground">{formatRelative(c.sentAt)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            ) : null}
          </CardContent>
        </Card>
      ))}
      <AdAccountsCard accounts={accounts} canConnect={missing.length === 0} />
    </div>
  );
}
