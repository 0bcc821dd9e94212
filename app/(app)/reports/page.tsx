import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listReportPipelines, ReportIndex } from "@/modules/reports";

export const metadata: Metadata = { title: "Reports" };

export default async function ReportsPage() {
  const session = await requirePermission("reports.view");
  const pipelines = await asMember(session, listReportPipelines);
  return (
    <div className="grid min-w-0 gap-2">
      <PageHeader title="Reports" description="Charts of your pipelines and leads over any range, each with its table and a CSV download." />
      <ReportIndex pipelines={pipelines} />
    </div>
  );
}
