import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { cn } from "@/lib/utils";
import { countCustomValues, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { CRM_OBJECTS, type CrmObject, CustomFieldsSettings } from "@/modules/crm/custom-fields/ui";

export const metadata: Metadata = { title: "Custom fields" };

const TABS: Record<CrmObject, string> = { person: "People", company: "Companies", deal: "Deals", lead: "Leads" };

export default async function CustomFieldsPage({ searchParams }: { searchParams: Promise<{ object?: string }> }) {
  const session = await requirePermission("settings.manage");
  const { object } = await searchParams;
  const objectType: CrmObject = CRM_OBJECTS.includes(object as CrmObject) ? (object as CrmObject) : "person";
  const [fields, usage] = await asMember(session, (tx) =>
    Promise.all([listCustomFieldDefs(tx, objectType, { includeArchived: true }), countCustomValues(tx, objectType)]),
  );
  return (
    <div>
      <PageHeader
        title="Custom fields"
        description="Fields your organization adds to people, companies and deals. Archived fields are hidden and keep their values."
      />
      <nav aria-label="Record type" className="mb-6 inline-flex h-9 items-center rounded-lg bg-muted p-[3px] text-muted-foreground">
        {CRM_OBJECTS.map((o) => (
          <Link
            key={o}
            href={`/settings/custom-fields?object=${o}`}
            aria-current={o === objectType ? "page" : undefined}
            className={cn(
              "inline-flex h-full items-center rounded-md px-3 text-sm font-medium transition-colors focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none",
              o === objectType ? "bg-background text-foreground shadow-sm dark:bg-input/30" : "hover:text-foreground",
            )}
          >
            {TABS[o]}
          </Link>
        ))}
      </nav>
      <CustomFieldsSettings key={objectType} objectType={objectType} fields={fields} usage={usage} />
    </div>
  );
}
