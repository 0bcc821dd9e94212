import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { AlertsNav, IntegrationHealthList, integrationOverview, listAlerts } from "@/modules/integrations";
import { AlertList, alertViewSchema } from "@/modules/integrations/ui";

export const metadata: Metadata = { title: "Integrations" };

const EMPTY = {
  active: "No open alerts. Covey raises one here when an integration needs you.",
  snoozed: "No snoozed alerts.",
  resolved: "No resolved alerts yet.",
} as const;

export default async function IntegrationsPage({ searchParams }: { searchParams: Promise<{ alerts?: string }> }) {
  const session = await requirePermission("integrations.manage");
  const view = alertViewSchema.parse((await searchParams).alerts);
  const [health, alerts] = await asMember(session, (tx) => Promise.all([integrationOverview(tx), listAlerts(tx, view)]));

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Integrations"
        description="How each integration is doing, and the alerts that need an owner or admin."
      />
      <Card aria-labelledby="alerts-heading">
        <CardHeader className="flex flex-wrap items-center justify-between gap-3">
          <CardTitle>
            <h2 id="alerts-heading">Alerts</h2>
          </CardTitle>
          <AlertsNav current={view} />
        </CardHeader>
        <CardContent>
          {alerts.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted-foreground">{EMPTY[view]}</p>
          ) : (
            <AlertList alerts={alerts} />
          )}
        </CardContent>
      </Card>
      <section aria-labelledby="health-heading" className="grid gap-3">
        <h2 id="health-heading" className="text-lg font-semibold">
          Health
        </h2>
        <IntegrationHealthList health={health} />
      </section>
    </div>
  );
}
