import { DownloadIcon } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { asMember, type Session } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import { formatCalendarDate, zoneLabel } from "@/lib/time";
import { cn } from "@/lib/utils";
import { cellText } from "../format";
import { GRANULARITIES, GRANULARITY_LABELS, reportQuery } from "../params";
import { type ReportRun, runReport } from "../service";
import { ReportChart } from "./report-chart";
import { ReportControls } from "./report-controls";

/** A report page: its options, its chart, and the table of the same rows the CSV holds. */
export async function ReportView({ session, timeZone, slug, query }: { session: Session; timeZone: string; slug: string; query: URLSearchParams }) {
  let run: ReportRun;
  try {
    run = await asMember(session, (tx) => runReport(tx, slug, query, timeZone));
  } catch (e) {
    if (isDomainError(e) && e.code === "not_found") notFound();
    if (isDomainError(e) && e.code === "invalid_query") {
      const [param] = Object.keys(e.details ?? {});
      return (
        <div className="grid gap-6">
          <PageHeader title="Reports" />
          <Alert variant="destructive">
            <AlertTitle>This report cannot be drawn: {param}</AlertTitle>
            <AlertDescription>
              <p>{e.message}</p>
              <Link className="underline underline-offset-4" href={`/reports/${slug}`}>
                Show the last 30 days instead
              </Link>
            </AlertDescription>
          </Alert>
        </div>
      );
    }
    throw e;
  }
  const { definition, context, result, title, description } = run;
  const { params } = context;
  const { today } = run;
  const qs = reportQuery(params);
  const x = result.columns.find((c) => c.key === result.chart.x);
  const chartData = result.rows.map((row) => {
    const point: Record<string, string | number | null> = { x: x ? cellText(x, row[x.key], params.granularity) : "" };
    for (const key of result.chart.series) point[key] = row[key] === null ? null : Number(row[key]);
    return point;
  });
  const series = result.chart.series.map((key) => ({ key, label: result.columns.find((c) => c.key === key)?.label ?? key }));
  const span = definition.uses.range ? `${formatCalendarDate(params.from)} – ${formatCalendarDate(params.to)}` : `Now (${formatCalendarDate(today)})`;

  return (
    <div className="grid min-w-0 gap-6">
      <PageHeader
        title={title}
        description={description}
        actions={
          <div className="flex gap-2">
            <Button variant="ghost" asChild>
              <Link href="/reports">All reports</Link>
            </Button>
            <Button variant="outline" asChild>
              <a href={`/api/reports/${definition.slug}/csv?${qs}`} download={run.fileName}>
                <DownloadIcon aria-hidden />
                Download CSV
              </a>
            </Button>
          </div>
        }
      />
      <Card>
        <CardContent className="grid gap-4">
          <ReportControls
            key={qs}
            preset={params.preset}
            from={params.from}
            to={params.to}
            granularity={params.granularity}
            today={today}
            uses={definition.uses}
            pipelines={context.pipelines.map((p) => ({ id: p.id, name: p.name }))}
            pipelineId={context.pipeline?.id ?? null}
            stages={context.stages.filter((s) => !s.isLost).map((s) => ({ id: s.id, name: s.name }))}
            stageId={context.stage?.id ?? null}
            stagePicker={definition.stagePicker ?? null}
          />
          <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
            <p data-testid="report-span">
              {span}
              {definition.uses.range ? ` · days in ${zoneLabel(timeZone)}` : null}
              {context.pipeline && definition.uses.pipeline ? ` · ${context.pipeline.name}` : null}
            </p>
            {definition.uses.granularity ? (
              <nav aria-label="Group by" className="inline-flex rounded-md border p-0.5">
                {GRANULARITIES.map((g) => (
                  <Link
                    key={g}
                    href={`/reports/${definition.slug}?${reportQuery(params, { granularity: g })}`}
                    aria-current={g === params.granularity ? "page" : undefined}
                    className={cn(
                      "rounded px-3 py-1 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none",
                      g === params.granularity && "bg-secondary text-secondary-foreground",
                    )}
                  >
                    {GRANULARITY_LABELS[g]}
                  </Link>
                ))}
              </nav>
            ) : null}
          </div>
        </CardContent>
      </Card>
      {result.rows.length ? (
        <>
          <Card>
            <CardContent>
              <ReportChart
                kind={result.chart.kind}
                data={chartData}
                series={series}
                namedRows={x?.kind !== "period"}
                label={`Chart of ${title.toLowerCase()}, ${span}. The table below lists the same figures.`}
              />
            </CardContent>
          </Card>
          <Card>
            <CardContent>
              <Table>
                <TableCaption>
                  {title}, {span}
                </TableCaption>
                <TableHeader>
                  <TableRow>
                    {result.columns.map((c) => (
                      <TableHead key={c.key} className={c.kind === "text" || c.kind === "period" ? undefined : "text-right"}>
                        {c.label}
                      </TableHead>
                    ))}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {result.rows.map((row, i) => (
                    <TableRow key={i}>
                      {result.columns.map((c) => (
                        <TableCell key={c.key} className={c.kind === "text" || c.kind === "period" ? undefined : "text-right tabular-nums"}>
                          {cellText(c, row[c.key], params.granularity)}
                        </TableCell>
                      ))}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        </>
      ) : (
        <Card>
          <CardContent>
            <p className="text-sm text-muted-foreground" data-testid="report-empty">
              {context.pipeline || definition.group === "leads" ? "Nothing to show for this range yet." : "Add a pipeline to see this report."}
            </p>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
