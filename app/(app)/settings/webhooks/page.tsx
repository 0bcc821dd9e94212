import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { asMember, requirePermission } from "@/lib/auth/session";
import { formatRelative } from "@/lib/time";
import {
  EndpointStatusBadge,
  FailingEndpointsAlert,
  listEndpoints,
  listFailingEndpoints,
  OutcomeBadge,
  STATS_DAYS,
} from "@/modules/webhooks";
import { EndpointDialog } from "@/modules/webhooks/ui";

export const metadata: Metadata = { title: "Webhooks" };

const SHOWN_TYPES = 3;

function successRate(attempts: number, succeeded: number) {
  if (attempts === 0) return "—";
  const pct = (100 * succeeded) / attempts;
  return `${Number.isInteger(pct) ? pct : pct.toFixed(1)}%`;
}

export default async function WebhooksPage() {
  const session = await requirePermission("webhooks.manage");
  const [endpoints, failing] = await asMember(session, (tx) => Promise.all([listEndpoints(tx), listFailingEndpoints(tx)]));
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Webhooks"
        description="Endpoints that receive this organization's events as signed HTTP POSTs, the moment they happen."
        actions={<EndpointDialog />}
      />
      <FailingEndpointsAlert endpoints={failing} />
      <Card>
        <CardContent>
          {endpoints.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No endpoints yet. Add one to receive events such as <code>deal.moved</code> or <code>person.created</code>.
            </p>
          ) : (
            <div className="overflow-x-auto">
              <Table aria-label="Webhook endpoints">
                <TableHeader>
                  <TableRow>
                    <TableHead>Endpoint</TableHead>
                    <TableHead>Events</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Last delivery</TableHead>
                    <TableHead className="text-right">Success ({STATS_DAYS} days)</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {endpoints.map((e) => (
                    <TableRow key={e.id}>
                      <TableCell className="max-w-sm whitespace-normal">
                        <Link href={`/settings/webhooks/${e.id}`} className="font-medium break-all underline-offset-4 hover:underline">
                          {e.url}
                        </Link>
                        {e.description ? <p className="text-xs text-muted-foreground">{e.description}</p> : null}
                      </TableCell>
                      <TableCell className="whitespace-normal">
                        <div className="flex max-w-xs flex-wrap gap-1">
                          {e.event_types.slice(0, SHOWN_TYPES).map((t) => (
                            <Badge key={t} variant="outline" className="font-mono">
                              {t === "*" ? "all events" : t}
                            </Badge>
                          ))}
                          {e.event_types.length > SHOWN_TYPES ? (
                            <Badge variant="outline">+{e.event_types.length - SHOWN_TYPES} more</Badge>
                          ) : null}
                        </div>
                      </TableCell>
                      <TableCell>
                        <EndpointStatusBadge status={e.status} />
                      </TableCell>
                      <TableCell>
                        {e.last_attempt ? (
                          <span className="flex items-center gap-2">
                            <OutcomeBadge
                              succeeded={e.last_attempt.succeeded}
                              statusCode={e.last_attempt.status_code}
                              error={e.last_attempt.error}
                            />
                            <span className="text-xs text-muted-foreground">
                              {formatRelative(e.last_attempt.at)}
                            </span>
                          </span>
                        ) : (
                          <span className="text-sm text-muted-foreground">None yet</span>
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {successRate(e.attempts, e.succeeded)}
                        {e.attempts ? (
                          <span className="block text-xs text-muted-foreground">
                            {e.succeeded.toLocaleString("en-US")} of {e.attempts.toLocaleString("en-US")} attempts
                          </span>
                        ) : null}
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
