import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listPipelines } from "@/modules/crm/pipelines";
import { listLeadSettings, listSourceDealTargets } from "@/modules/leads";
import { LeadSettings, SourceDealTargets } from "@/modules/leads/ui";

export const metadata: Metadata = { title: "Lead settings" };

export default async function LeadSettingsPage() {
  const session = await requirePermission("settings.manage");
  const [{ sources, statuses }, targets, pipelines] = await asMember(session, (tx) =>
    Promise.all([listLeadSettings(tx), listSourceDealTargets(tx), listPipelines(tx)]),
  );
  return (
    <div>
      <PageHeader title="Lead settings" description="Your organization's lead statuses and sources: what lists, filters, badges and the API call them." />
      <div className="grid gap-6">
        <LeadSettings sources={sources} statuses={statuses} />
        <SourceDealTargets sources={targets} pipelines={pipelines} />
      </div>
    </div>
  );
}
