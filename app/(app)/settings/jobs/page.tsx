import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { cn } from "@/lib/utils";
import { countJobs, JOBS_PAGE, listJobAttempts, listJobs } from "@/modules/jobs";
import { JOB_VIEW_HINTS, JOB_VIEW_LABELS, JOB_VIEWS, type JobItem, JobsTable, jobView, LiveRefresh } from "@/modules/jobs/ui";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage({ searchParams }: { searchParams: Promise<{ view?: string }> }) {
  const session = await requirePermission("jobs.manage");
  const zone = await getTimeZone();
  const view = jobView((await searchParams).view);
  const { jobs, tries, counts } = await asMember(session, async (tx) => {
    const jobs = await listJobs(tx, view);
    return { jobs, tries: await listJobAttempts(tx, jobs.map((j) => j.id)), counts: await countJobs(tx) };
  });
  const items: JobItem[] = jobs.map((j) => ({
    id: j.id,
    kind: j.kind,
    status: j.status,
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
    nextRun: j.status === "pending" ? formatDateTime(j.run_at, zone, { seconds: true }) : null,
    finished: j.finished_at ? formatDateTime(j.finished_at, zone, { seconds: true }) : null,
    lastError: j.last_error,
    tries: tries
      .filter((a) => a.job_id === j.id)
      .map((a) => ({
        id: a.id,
        attempt: a.attempt,
        started: formatDateTime(a.started_at, zone, { seconds: true }),
        outcome: a.outcome,
        durationMs: a.finished_at ? a.finished_at.getTime() - a.started_at.getTime() : null,
        error: a.error,
      })),
  }));
  return (
    <div>
      <PageHeader
        title="Jobs"
        description="Background work for this organization: lead fetches, sends and checks. Failures are retried with growing waits; a job that keeps failing ends up dead."
      />
      <LiveRefresh active={counts.pending + counts.running > 0} />
      <nav aria-label="Job states" className="mb-4 flex w-fit flex-wrap gap-1 rounded-lg bg-muted p-1 text-sm">
        {JOB_VIEWS.map((v) => (
          <Link
            key={v}
            href={`/settings/jobs?view=${v}`}
            aria-current={v === view ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1 text-muted-foreground transition-colors hover:text-foreground",
              v === view && "bg-background font-medium text-foreground shadow-sm",
            )}
          >
            {JOB_VIEW_LABELS[v]} <span className="tabular-nums text-muted-foreground">{counts[v].toLocaleString("en-US")}</span>
          </Link>
        ))}
      </nav>
      <Card>
        <CardContent className="grid gap-4">
          <p className="text-sm text-muted-foreground">{JOB_VIEW_HINTS[view]}</p>
          {items.length === 0 ? (
            <p className="text-sm">No {JOB_VIEW_LABELS[view].toLowerCase()} jobs.</p>
          ) : (
            <JobsTable jobs={items} timeLabel={view === "dead" || view === "succeeded" ? "Finished" : "Next run"} />
          )}
          {items.length === JOBS_PAGE ? (
            <p className="text-sm text-muted-foreground">Showing the first {JOBS_PAGE} jobs.</p>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
