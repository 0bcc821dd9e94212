import Link from "next/link";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DEFAULT_NOUNS } from "@/modules/crm/pipelines/ui";
import type { ReportPipeline } from "../context";
import { REPORTS } from "../registry";
import type { ReportDefinition } from "../registry-types";

function ReportCard({ report, pipeline }: { report: ReportDefinition; pipeline: ReportPipeline | null }) {
  const noun = pipeline?.noun ?? DEFAULT_NOUNS;
  const href = pipeline && report.uses.pipeline ? `/reports/${report.slug}?pipeline=${pipeline.id}` : `/reports/${report.slug}`;
  return (
    <li>
      <Link href={href} className="block h-full rounded-xl focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
        <Card className="h-full transition-colors hover:bg-accent/50">
          <CardHeader>
            <CardTitle>{report.title(noun)}</CardTitle>
            <CardDescription>{report.description(noun)}</CardDescription>
          </CardHeader>
        </Card>
      </Link>
    </li>
  );
}

/** Every report, the pipeline ones once for each pipeline, named by what it calls its deals. */
export function ReportIndex({ pipelines }: { pipelines: ReportPipeline[] }) {
  const pipelineReports = REPORTS.filter((r) => r.group === "pipeline");
  const leadReports = REPORTS.filter((r) => r.group === "leads");
  return (
    <div className="grid gap-8">
      {pipelines.map((p) => (
        <section key={p.id} aria-labelledby={`reports-${p.id}`} className="grid gap-3">
          <h2 id={`reports-${p.id}`} className="text-lg font-semibold">
            {p.name}
          </h2>
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {pipelineReports.map((r) => (
              <ReportCard key={r.slug} report={r} pipeline={p} />
            ))}
          </ul>
        </section>
      ))}
      <section aria-labelledby="reports-leads" className="grid gap-3">
        <h2 id="reports-leads" className="text-lg font-semibold">
          Leads
        </h2>
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {leadReports.map((r) => (
            <ReportCard key={r.slug} report={r} pipeline={pipelines[0] ?? null} />
          ))}
        </ul>
      </section>
    </div>
  );
}
