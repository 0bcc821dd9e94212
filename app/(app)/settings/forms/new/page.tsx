import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listLeadCustomFields } from "@/modules/forms";
import { DEFAULT_FORM, FormEditor } from "@/modules/forms/ui";

export const metadata: Metadata = { title: "New web form" };

export default async function NewWebFormPage() {
  const session = await requirePermission("settings.manage");
  const customFields = await asMember(session, (tx) => listLeadCustomFields(tx));
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title="New web form" description="Start from a contact form and change what you need." />
      <FormEditor initial={DEFAULT_FORM} customFields={customFields} />
    </div>
  );
}
