import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listLeadSettings } from "@/modules/leads";
import { LeadSettings } from "@/modules/leads/ui";

export const metadata: Metadata = { title: "Lead settings" };

export default async function LeadSettingsPage() {
  const session = await requirePermission("settings.manage");
  const { sources, statuses } = await asMember(session, (tx) => listLeadSettings(tx));
  return (
    <div>
      <PageHeader title="Lead settings" description="Your organization's lead statuses and sources: what lists, filters, badges and the API call them." />
      <LeadSettings sources={sources} statuses={statuses} />
    </div>
  );
}
