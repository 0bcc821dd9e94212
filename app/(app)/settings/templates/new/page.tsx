import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { CHANNEL_LABELS, TemplateEditor, type TemplateChannel } from "@/modules/templates/ui";

export const metadata: Metadata = { title: "New template" };

export default async function NewTemplatePage(props: { searchParams: Promise<{ channel?: string }> }) {
  await requirePermission("records.work");
  const channel: TemplateChannel = (await props.searchParams).channel === "sms" ? "sms" : "email";
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title={`New ${CHANNEL_LABELS[channel] === "SMS" ? "SMS" : "email"} template`} description="Write it once; everyone starts from it in the compose drawer." />
      <TemplateEditor initial={{ id: null, channel, name: "", subject: "", body: "", textBody: null, archived: false }} canEdit />
    </div>
  );
}
