import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { fieldsFor, getImport, sampleRows } from "@/modules/crm/import";
import { ImportOutcome, ImportWizard, OBJECT_LABELS } from "@/modules/crm/import/ui";

export const metadata: Metadata = { title: "Map columns" };

export default async function ImportMappingPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePermission("records.work");
  const { id } = await params;
  const data = await asMember(session, async (tx) => {
    const imp = await getImport(tx, id);
    if (!imp) return null;
    if (imp.status !== "pending") return { imp, fields: [], samples: [] };
    const [{ fields }, samples] = await Promise.all([fieldsFor(tx, imp.objectType), sampleRows(tx, id, 3)]);
    return { imp, fields, samples };
  });
  if (!data) notFound();
  const { imp } = data;
  const title = `Import ${OBJECT_LABELS[imp.objectType].many.toLowerCase()}`;
  if (imp.status !== "pending") {
    return (
      <div>
        <PageHeader title={title} description={`${imp.fileName} was ${imp.status === "undone" ? "imported and undone" : "imported"}.`} />
        <ImportOutcome
          id={imp.id}
          object={imp.objectType}
          fileName={imp.fileName}
          status={imp.status}
          summary={{ created: imp.createdCount, updated: imp.updatedCount, skipped: imp.skippedCount, companiesCreated: imp.linkedCreatedCount }}
          canUndo={can(session.role, "records.delete")}
        />
      </div>
    );
  }
  return (
    <div>
      <PageHeader title={title} description="Map the file's columns, choose how to treat duplicates, check the report, then import." />
      <ImportWizard
        id={imp.id}
        object={imp.objectType}
        fileName={imp.fileName}
        rowCount={imp.rowCount}
        headers={imp.headers}
        samples={data.samples}
        fields={data.fields.map((f) => ({ key: f.key, label: f.label, ...(f.hint ? { hint: f.hint } : {}) }))}
        initialMapping={imp.mapping}
        initialMode={imp.duplicateMode}
        canUndo={can(session.role, "records.delete")}
      />
    </div>
  );
}
