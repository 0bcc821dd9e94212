import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listRules, routingOptions } from "@/modules/routing";
import { RoutingPreview, RuleDialog, RuleList } from "@/modules/routing/ui";

export const metadata: Metadata = { title: "Lead routing" };

export default async function LeadRoutingPage() {
  const session = await requirePermission("settings.manage");
  const [rules, options] = await asMember(session, (tx) => Promise.all([listRules(tx), routingOptions(tx)]));
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Lead routing"
        description="Who takes each new lead. Rules are tried from the top on every lead that arrives without an owner; the first that matches takes it."
        actions={<RuleDialog options={options} />}
      />
      <Card>
        <CardContent>
          <RuleList rules={rules} options={options} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Preview</h2>
          </CardTitle>
          <CardDescription>Describe a lead to see which rule would take it. Nobody&apos;s turn is used.</CardDescription>
        </CardHeader>
        <CardContent>
          <RoutingPreview rules={rules} options={options} />
        </CardContent>
      </Card>
    </div>
  );
}
