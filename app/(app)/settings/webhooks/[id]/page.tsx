import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { cn } from "@/lib/utils";
import {
  type EndpointDetail,
  EndpointStatusBadge,
  FailingEndpointsAlert,
  getEndpoint,
  listAttempts,
  listDeadLetters,
  OutcomeBadge,
} from "@/modules/webhooks";
import {
  ATTEMPT_FILTERS,
  type AttemptFilter,
  DeleteEndpointButton,
  EnableButton,
  EndpointDialog,
  RefreshButton,
  ReplayAllButton,
  ReplayButton,
  RotateSecretButton,
  SendTestEventButton,
  SigningSecret,
} from "@/modules/webhooks/ui";

export const metadata: Metadata = { title: "Webhook endpoint" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type View = "log" | "dead";
const FILTER_LABELS: Record<AttemptFilter, string> = { all: "All", succeeded: "Succeeded", failed: "Failed" };

interface Search {
  view?: string;
  status?: string;
  cursor?: string;
}

function href(id: string, q: { view?: View; status?: AttemptFilter; cursor?: string | null }) {
  const p = new URLSearchParams();
  if (q.view && q.view !== "log") p.set("view", q.view);
  if (q.status && q.status !== "all") p.set("status", q.status);
  if (q.cursor) p.set("cursor", q.cursor);
  const s = p.toString();
  return `/settings/webhooks/${id}${s ? `?${s}` : ""}`;
}

function Segmented(props: { label: string; items: { href: string; label: string; current: boolean }[] }) {
  return (
    <nav aria-label={props.label} className="inline-flex h-9 items-center rounded-lg bg-muted p-[3px] text-muted-foreground">
      {props.items.map((i) => (
        <Link
          key={i.href}
          href={i.href}
          aria-current={i.current ? "page" : undefined}
          className={cn(
            "inline-flex h-full items-center rounded-md px-3 text-sm font-medium transition-colors focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none",
            i.current ? "bg-background text-foreground shadow-sm dark:bg-input/30" : "hover:text-foreground",
          )}
        >
          {i.label}
        </Link>
      ))}
    </nav>
  );
}

export default async function WebhookEndpointPage(props: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const session = await requirePermission("webhooks.manage");
  const zone = await getTimeZone();
  const { id } = await props.params;
  if (!UUID.test(id)) notFound();
  const search = await props.searchParams;
  const view: View = search.view === "dead" ? "dead" : "log";
  const status: AttemptFilter = ATTEMPT_FILTERS.includes(search.status as AttemptFilter) ? (search.status as AttemptFilter) : "all";

  const data = await asMember(session, async (tx) => {
    const endpoint = await getEndpoint(tx, id);
    if (!endpoint) return null;
    const list =
      view === "dead"
        ? { view, page: await listDeadLetters(tx, id, { cursor: search.cursor }) }
        : { view, page: await listAttempts(tx, id, { status, cursor: search.cursor }) };
    return { endpoint, list };
  });
  if (!data) notFound();
  const { endpoint: e, list } = data;

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <div className="min-w-0 [&_h1]:break-all">
        <Button variant="link" asChild className="px-0">
          <Link href="/settings/webhooks">
            <ArrowLeft aria-hidden /> All endpoints
          </Link>
        </Button>
        <PageHeader
          title={e.url}
          description={e.description ?? "Webhook endpoint"}
          actions={
            <div className="flex flex-wrap gap-2">
              <SendTestEventButton id={e.id} disabled={!e.enabled} />
              <EndpointDialog endpoint={{ id: e.id, url: e.url, description: e.description, event_types: e.event_types }} />
              <EnableButton id={e.id} enabled={e.enabled} />
              <DeleteEndpointButton id={e.id} url={e.url} />
            </div>
          }
        />
      </div>

      {e.status === "failing" ? (
        <FailingEndpointsAlert
          endpoints={[{ id: e.id, url: e.url, disabled_at: e.disabled_at, consecutive_failures: e.consecutive_failures }]}
        />
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <EndpointOverview endpoint={e} />
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Signing secret</h2>
            </CardTitle>
            <CardDescription>
              Every delivery carries <code>webhook-id</code>, <code>webhook-timestamp</code> and{" "}
              <code>webhook-signature</code> (Standard Webhooks, HMAC-SHA256). Verify them with this secret, e.g. with the{" "}
              <code>standardwebhooks</code> library.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-3">
            <SigningSecret key={e.updated_at.toISOString()} endpointId={e.id} />
            {e.previous_secret_expires_at ? (
              <p className="text-sm" data-testid="previous-secret-note">
                The previous secret also signs deliveries until {formatDateTime(e.previous_secret_expires_at, zone, { seconds: true })}.
              </p>
            ) : null}
            <div>
              <RotateSecretButton endpointId={e.id} />
            </div>
          </CardContent>
        </Card>
      </div>

      <section aria-labelledby="deliveries-heading" className="grid gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="deliveries-heading" className="text-lg font-semibold">
            Deliveries
          </h2>
          <div className="flex flex-wrap items-center gap-2">
            <Segmented
              label="Deliveries view"
              items={[
                { href: href(e.id, { view: "log" }), label: "Delivery log", current: view === "log" },
                { href: href(e.id, { view: "dead" }), label: `Dead letters (${e.dead.toLocaleString("en-US")})`, current: view === "dead" },
              ]}
            />
            <RefreshButton />
          </div>
        </div>
        {list.view === "log" ? (
          <AttemptLog endpoint={e} status={status} page={list.page} cursor={search.cursor} />
        ) : (
          <DeadLetters endpoint={e} page={list.page} cursor={search.cursor} />
        )}
      </section>
    </div>
  );
}

async function EndpointOverview({ endpoint: e }: { endpoint: EndpointDetail }) {
  const zone = await getTimeZone();
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Endpoint</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-3 text-sm">
          <dt className="text-muted-foreground">Status</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <EndpointStatusBadge status={e.status} />
            {e.disabled_at ? <span className="text-xs text-muted-foreground">since {formatDateTime(e.disabled_at, zone, { seconds: true })}</span> : null}
          </dd>
          <dt className="text-muted-foreground">Events</dt>
          <dd className="flex flex-wrap gap-1">
            {e.event_types.map((t) => (
              <Badge key={t} variant="outline" className="font-mono">
                {t === "*" ? "all events" : t}
              </Badge>
            ))}
          </dd>
          <dt className="text-muted-foreground">Waiting</dt>
          <dd>
            {e.pending.toLocaleString("en-US")} {e.pending === 1 ? "delivery" : "deliveries"}
            {e.pending && !e.enabled ? " (sent once the endpoint is enabled)" : ""}
          </dd>
          {e.consecutive_failures > 0 ? (
            <>
              <dt className="text-muted-foreground">Failing</dt>
              <dd>
                {e.consecutive_failures.toLocaleString("en-US")} failed attempts in a row
                {e.failing_since ? ` since ${formatDateTime(e.failing_since, zone, { seconds: true })}` : ""}
              </dd>
            </>
          ) : null}
          <dt className="text-muted-foreground">Created</dt>
          <dd>{formatDateTime(e.created_at, zone, { seconds: true })}</dd>
        </dl>
      </CardContent>
    </Card>
  );
}

function Pager(props: { first: string | null; next: string | null; label: string }) {
  if (!props.first && !props.next) return null;
  return (
    <div className="flex gap-2 pt-4">
      {props.first ? (
        <Button variant="outline" asChild>
          <Link href={props.first}>Newest</Link>
        </Button>
      ) : null}
      {props.next ? (
        <Button variant="outline" asChild>
          <Link href={props.next}>{props.label}</Link>
        </Button>
      ) : null}
    </div>
  );
}

async function AttemptLog(props: {
  endpoint: EndpointDetail;
  status: AttemptFilter;
  page: Awaited<ReturnType<typeof listAttempts>>;
  cursor?: string;
}) {
  const zone = await getTimeZone();
  const { endpoint: e, status, page } = props;
  return (
    <Card>
      <CardContent className="grid gap-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Segmented
            label="Filter attempts by outcome"
            items={ATTEMPT_FILTERS.map((f) => ({ href: href(e.id, { status: f }), label: FILTER_LABELS[f], current: f === status }))}
          />
          <p className="text-xs text-muted-foreground">The history of delivered events is kept for 30 days.</p>
        </div>
        {page.rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {status === "all" ? "No delivery attempts yet. Send a test event to try the endpoint." : "No attempts match this filter."}
          </p>
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label="Delivery log">
              <TableHeader>
                <TableRow>
                  <TableHead>Time</TableHead>
                  <TableHead>Event</TableHead>
                  <TableHead className="text-right">Attempt</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Response time</TableHead>
                  <TableHead>Error</TableHead>
                  <TableHead>Response</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.rows.map((a) => (
                  <TableRow key={a.id} data-testid="attempt-row">
                    <TableCell className="whitespace-nowrap">{formatDateTime(a.started_at, zone, { seconds: true })}</TableCell>
                    <TableCell>
                      <code className="text-xs">{a.event_type}</code>
                      <span className="block font-mono text-xs text-muted-foreground" title="webhook-id">
                        {a.event_id}
                      </span>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{a.attempt}</TableCell>
                    <TableCell>
                      <OutcomeBadge succeeded={a.succeeded} statusCode={a.status_code} error={a.succeeded ? null : a.error} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{a.duration_ms.toLocaleString("en-US")} ms</TableCell>
                    <TableCell className="max-w-60 text-xs whitespace-normal">
                      {a.error ?? ""}
                      {a.next_attempt_at ? (
                        <span className="block text-muted-foreground">retry at {formatDateTime(a.next_attempt_at, zone, { seconds: true })}</span>
                      ) : null}
                    </TableCell>
                    <TableCell className="max-w-80 min-w-40 whitespace-normal">
                      {a.response_excerpt ? (
                        <details>
                          <summary className="cursor-pointer text-xs">Show body</summary>
                          <pre className="mt-1 max-h-48 overflow-auto rounded bg-muted p-2 text-xs break-words whitespace-pre-wrap">
                            {a.response_excerpt}
                          </pre>
                        </details>
                      ) : (
                        <span className="text-xs text-muted-foreground">Empty</span>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        <Pager
          first={props.cursor ? href(e.id, { status }) : null}
          next={page.next_cursor ? href(e.id, { status, cursor: page.next_cursor }) : null}
          label="Older attempts"
        />
      </CardContent>
    </Card>
  );
}

async function DeadLetters(props: { endpoint: EndpointDetail; page: Awaited<ReturnType<typeof listDeadLetters>>; cursor?: string }) {
  const zone = await getTimeZone();
  const { endpoint: e, page } = props;
  return (
    <Card>
      <CardHeader>
        <CardDescription>
          Deliveries that failed every attempt, kept for 90 days. Replaying sends them again with the same webhook-id.
        </CardDescription>
        <div className="pt-2">
          <ReplayAllButton endpointId={e.id} count={e.dead} enabled={e.enabled} />
        </div>
      </CardHeader>
      <CardContent>
        {page.rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">No dead letters.</p>
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label="Dead letters">
              <TableHeader>
                <TableRow>
                  <TableHead>Given up</TableHead>
                  <TableHead>Event</TableHead>
                  <TableHead className="text-right">Attempts</TableHead>
                  <TableHead>Last error</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.rows.map((d) => (
                  <TableRow key={d.id} data-testid="dead-letter-row">
                    <TableCell className="whitespace-nowrap">{d.dead_at ? formatDateTime(d.dead_at, zone, { seconds: true }) : ""}</TableCell>
                    <TableCell>
                      <code className="text-xs">{d.event_type}</code>
                      <span className="block font-mono text-xs text-muted-foreground" title="webhook-id">
                        {d.event_id}
                      </span>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
                    <TableCell className="max-w-72 text-xs whitespace-normal">
                      {[d.last_status_code ? `HTTP ${d.last_status_code}` : null, d.last_error].filter(Boolean).join(" · ")}
                    </TableCell>
                    <TableCell className="text-right">
                      <ReplayButton endpointId={e.id} deliveryId={d.id} eventType={d.event_type} enabled={e.enabled} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        <Pager
          first={props.cursor ? href(e.id, { view: "dead" }) : null}
          next={page.next_cursor ? href(e.id, { view: "dead", cursor: page.next_cursor }) : null}
          label="Older dead letters"
        />
      </CardContent>
    </Card>
  );
}
