"use client";

import { ChevronDown, ChevronRight, RotateCcw, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { Fragment, useEffect, useState, useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { discardJobAction, retryJobAction } from "../actions";

export interface JobItem {
  id: string;
  kind: string;
  /** pending | running | succeeded | dead | discarded; a pending job with attempts has failed. */
  status: string;
  attempts: number;
  maxAttempts: number;
  /** Formatted in the member's zone by the page. */
  nextRun: string | null;
  finished: string | null;
  lastError: string | null;
  tries: { id: string; attempt: number; started: string; outcome: string | null; durationMs: number | null; error: string | null }[];
}

function StateBadge({ status, attempts }: { status: string; attempts: number }) {
  if (status === "dead") return <Badge variant="destructive">Dead</Badge>;
  if (status === "pending" && attempts > 0) return <Badge variant="outline" className="border-amber-500 text-amber-700 dark:text-amber-400">Failed</Badge>;
  if (status === "pending") return <Badge variant="secondary">Pending</Badge>;
  if (status === "running") return <Badge variant="outline">Running</Badge>;
  if (status === "succeeded") return <Badge className="bg-emerald-600 text-white">Succeeded</Badge>;
  return <Badge variant="secondary">Discarded</Badge>;
}

const OUTCOMES: Record<string, string> = { succeeded: "Succeeded", failed: "Failed", lost: "Lost (worker stopped)" };

function RetryButton({ id }: { id: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await retryJobAction({ id });
          if (!r.ok) return void toast.error(r.error);
          toast.success("Job queued to run now");
          router.refresh();
        })
      }
    >
      <RotateCcw aria-hidden />
      Retry
    </Button>
  );
}

function DiscardButton({ id, kind }: { id: string; kind: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden />
        Discard
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Discard this job?</AlertDialogTitle>
          <AlertDialogDescription>
            The {kind} job will not run again. Its attempts stay in the history until it is pruned.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const r = await discardJobAction({ id });
                if (!r.ok) return void toast.error(r.error);
                toast.success("Job discarded");
                setOpen(false);
                router.refresh();
              });
            }}
          >
            Discard job
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Re-reads the page every few seconds while jobs are waiting or running, so their outcome shows without a reload. */
export function LiveRefresh({ active }: { active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, 3000);
    return () => clearInterval(timer);
  }, [active, router]);
  return null;
}

export function JobsTable({ jobs, timeLabel }: { jobs: JobItem[]; timeLabel: "Next run" | "Finished" }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <Table aria-label="Jobs">
      <TableHeader>
        <TableRow>
          <TableHead>Kind</TableHead>
          <TableHead>State</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
          <TableHead>{timeLabel}</TableHead>
          <TableHead>Last error</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((j) => {
          const expanded = open.has(j.id);
          const actionable = j.status === "dead" || j.status === "pending";
          return (
            <Fragment key={j.id}>
              <TableRow data-job-id={j.id}>
                <TableCell>
                  <button
                    type="button"
                    className="inline-flex items-center gap-1 font-mono text-xs hover:underline"
                    aria-expanded={expanded}
                    aria-controls={`job-${j.id}-attempts`}
                    onClick={() => toggle(j.id)}
                  >
                    {expanded ? <ChevronDown className="size-3.5" aria-hidden /> : <ChevronRight className="size-3.5" aria-hidden />}
                    {j.kind}
                    <span className="sr-only"> (job {j.id}): {expanded ? "hide" : "show"} attempts</span>
                  </button>
                </TableCell>
                <TableCell>
                  <StateBadge status={j.status} attempts={j.attempts} />
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {j.attempts} / {j.maxAttempts}
                </TableCell>
                <TableCell className="whitespace-nowrap">{(timeLabel === "Next run" ? j.nextRun : j.finished) ?? "—"}</TableCell>
                {/* A job that succeeded in the end has no error to show; its attempts still tell. */}
                <TableCell className="max-w-sm truncate text-xs text-muted-foreground" title={j.status === "succeeded" ? undefined : (j.lastError ?? undefined)}>
                  {j.status === "succeeded" ? "" : (j.lastError ?? "")}
                </TableCell>
                <TableCell className="whitespace-nowrap text-right">
                  {actionable ? (
                    <div className="flex justify-end gap-1">
                      <RetryButton id={j.id} />
                      <DiscardButton id={j.id} kind={j.kind} />
                    </div>
                  ) : null}
                </TableCell>
              </TableRow>
              {expanded ? (
                <TableRow id={`job-${j.id}-attempts`} className="bg-muted/40 hover:bg-muted/40">
                  <TableCell colSpan={6} className="whitespace-normal py-3">
                    {j.tries.length === 0 ? (
                      <p className="text-sm text-muted-foreground">Not tried yet.</p>
                    ) : (
                      // On a phone the table scrolls sideways: the attempts stay within the screen.
                      <ol
                        aria-label={`Attempts of job ${j.id}`}
                        className="sticky left-0 grid max-w-[calc(100vw-5rem)] gap-1.5 text-sm sm:max-w-none"
                      >
                        {j.tries.map((a, i) => (
                          <li key={a.id} className="grid gap-0.5 sm:grid-cols-[9rem_12rem_10rem_1fr] sm:gap-3">
                            <span className="font-medium">
                              Attempt {a.attempt}
                              {/* A retry starts a new round of attempts. */}
                              {i > 0 && a.attempt <= j.tries[i - 1].attempt ? <span className="font-normal text-muted-foreground"> (retried)</span> : null}
                            </span>
                            <span className="text-muted-foreground">{a.started}</span>
                            <span>
                              {a.outcome ? OUTCOMES[a.outcome] : "Running"}
                              {a.durationMs !== null ? <span className="text-muted-foreground"> · {a.durationMs.toLocaleString("en-US")} ms</span> : null}
                            </span>
                            <span className="break-words text-xs text-muted-foreground">{a.error ?? ""}</span>
                          </li>
                        ))}
                      </ol>
                    )}
                  </TableCell>
                </TableRow>
              ) : null}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}
