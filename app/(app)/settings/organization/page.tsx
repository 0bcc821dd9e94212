import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { getOrg } from "@/modules/orgs";
import { OrgSettingsForm } from "@/modules/orgs/ui";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationSettingsPage() {
  const session = await requirePermission("settings.manage");
  const org = await getOrg(session);
  return (
    <div>
      <PageHeader title="Organization" description="Name, defaults and who may join." />
      <Card>
        <CardContent className="pt-6">
          <OrgSettingsForm name={org.name} defaultCurrency={org.default_currency} allowedEmailDomains={org.allowed_email_domains} />
        </CardContent>
      </Card>
    </div>
  );
}
