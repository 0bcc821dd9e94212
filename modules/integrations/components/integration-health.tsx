import Link from "next/link";
import { ZonedTime } from "@/components/time-zone";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { Configuration, HealthStatus, IntegrationHealth } from "../queries";
import { INTEGRATIONS } from "../registry";

const STATUS: Record<HealthStatus, { label: string; variant: "default" | "secondary" | "destructive" | "outline" }> = {
  healthy: { label: "Healthy", variant: "default" },
  failing: { label: "Needs attention", variant: "destructive" },
  idle: { label: "No activity yet", variant: "secondary" },
  not_set_up: { label: "Not set up", variant: "outline" },
};

const CONFIGURATION: Record<Configuration, string> = {
  configured: "Configured",
  missing: "Not configured",
  expiring: "Token expiring",
  expired: "Token expired",
};

function When({ at }: { at: string | null }) {
  return at ? <ZonedTime at={at} /> : <span className="text-muted-foreground">Never</span>;
}

/** One card per integration: its status, what is configured, last success and error, errors in 24 hours, accounts. */
export function IntegrationHealthList({ health }: { health: IntegrationHealth[] }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {health.map((h) => {
        const info = INTEGRATIONS.find((i) => i.key === h.key)!;
        const headingId = `integration-${h.key}`;
        return (
          <Card key={h.key} aria-labelledby={headingId} data-integration={h.key} data-status={h.status}>
            <CardHeader>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <CardTitle>
                  <h2 id={headingId}>{info.label}</h2>
                </CardTitle>
                <Badge variant={STATUS[h.status].variant}>{STATUS[h.status].label}</Badge>
              </div>
              <CardDescription>{info.description}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-3 text-sm">
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                <dt className="text-muted-foreground">Configuration</dt>
                <dd>
                  {CONFIGURATION[h.configuration]} · {h.configuration_note}
                </dd>
                <dt className="text-muted-foreground">Last success</dt>
                <dd>
                  <When at={h.last_success_at} />
                </dd>
                <dt className="text-muted-foreground">Last error</dt>
                <dd className="min-w-0 break-words">
                  <When at={h.last_error_at} />
                  {h.last_error && <span className="block text-muted-foreground">{h.last_error}</span>}
                </dd>
                <dt className="text-muted-foreground">Errors, 24 h</dt>
                <dd>{h.errors_24h}</dd>
                <dt className="text-muted-foreground">Open alerts</dt>
                <dd>{h.open_alerts}</dd>
              </dl>
              {h.accounts.length > 0 && (
                <details>
                  <summary className="cursor-pointer text-muted-foreground">
                    {h.accounts.length === 1 ? "1 account" : `${h.accounts.length} accounts`}
                  </summary>
                  <ul className="mt-2 grid gap-2">
                    {h.accounts.map((a) => (
                      <li key={a.account} className="rounded-md border p-2">
                        <p className="font-medium break-all">{a.name ? `${a.name} (${a.account})` : a.account}</p>
                        <p className="text-muted-foreground">
                          Last success <When at={a.last_success_at} />
                          {a.last_error_at && (
                            <>
                              {" "}
                              · last error <ZonedTime at={a.last_error_at} />
                              {a.last_error ? `: ${a.last_error}` : ""}
                            </>
                          )}{" "}
                          · {a.errors_24h} errors in 24 h
                        </p>
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {info.settingsHref && (
                <Link href={info.settingsHref} className="w-fit text-sm font-medium underline underline-offset-4">
                  Open {info.label} settings
                </Link>
              )}
            </CardContent>
          </Card>
        );
      })}
    </div>
  );
}
