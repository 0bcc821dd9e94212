import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import { getTemplate } from "@/modules/templates";
import { TemplateEditor } from "@/modules/templates/ui";

export const metadata: Metadata = { title: "Template" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function TemplatePage(props: { params: Promise<{ id: string }> }) {
  const session = await requirePermission("records.work");
  const { id } = await props.params;
  if (!UUID.test(id)) notFound();
  const template = await asMember(session, (tx) => getTemplate(tx, id)).catch((e: unknown) => {
    if (isDomainError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const canEdit = can(session.role, "templates.manage") || template.createdBy === session.user.id;
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title={template.name} description={template.createdByName ? `Written by ${template.createdByName}.` : "One of Covey's starters; change it to suit your team."} />
      <TemplateEditor
        key={template.updatedAt.toISOString()}
        initial={{
          id: template.id,
          channel: template.channel,
          name: template.name,
          subject: template.subject ?? "",
          body: template.body,
          textBody: template.textBody,
          archived: !!template.archivedAt,
        }}
        canEdit={canEdit}
      />
    </div>
  );
}
