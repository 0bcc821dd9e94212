"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { analyzeImportAction } from "../actions";
import { type ImportObject, OBJECT_LABELS } from "../fields";
import type { CommitLine } from "../http";
import type { Analysis, DuplicateMode, ImportSummary, Progress } from "../service";
import { ImportOutcome } from "./import-outcome";
import { NativeSelect } from "./native-select";

const MATCH_RULES: Record<ImportObject, string> = {
  person: "A row is a duplicate of an existing person with the same email or, for rows without an email match, the same phone number.",
  company: "A row is a duplicate of an existing company with the same domain or, failing that, the same name (ignoring case).",
  deal: "A row is a duplicate of an existing deal with the same name (ignoring case) in the same pipeline.",
};

const MODES: { value: DuplicateMode; label: string; help: string }[] = [
  { value: "skip", label: "Skip", help: "Leave the existing record as it is and ignore the row." },
  { value: "update", label: "Update", help: "Fill the existing record with the row's non-blank cells; blank cells keep what is stored." },
  { value: "create", label: "Create", help: "Add a new record anyway (people whose email is already used can't be created twice)." },
];

export interface WizardProps {
  id: string;
  object: ImportObject;
  fileName: string;
  rowCount: number;
  headers: string[];
  /** First rows of the file, for the sample column. */
  samples: string[][];
  fields: { key: string; label: string; hint?: string }[];
  initialMapping: Record<string, string>;
  initialMode: DuplicateMode;
  /** The member may undo the import once it is in (owners and admins). */
  canUndo: boolean;
}

type CommitState =
  | { state: "idle" }
  | { state: "running"; progress: Progress | null }
  | { state: "done"; summary: ImportSummary }
  | { state: "failed"; message: string };

export function ImportWizard(props: WizardProps) {
  const [mapping, setMapping] = useState<Record<string, string>>(props.initialMapping);
  const [mode, setMode] = useState<DuplicateMode>(props.initialMode);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [commit, setCommit] = useState<CommitState>({ state: "idle" });
  const request = useRef(0);
  const noun = OBJECT_LABELS[props.object];

  useEffect(() => {
    const mine = ++request.current;
    setChecking(true);
    const timer = setTimeout(async () => {
      const r = await analyzeImportAction(props.id, { mapping, duplicateMode: mode });
      if (mine !== request.current) return;
      setChecking(false);
      if (r.ok) {
        setAnalysis(r.data);
        setCheckError(null);
      } else setCheckError(r.error);
    }, 250);
    return () => clearTimeout(timer);
  }, [mapping, mode, props.id]);

  const used = new Set(Object.values(mapping));
  const blocked = !analysis || checking || !!checkError || analysis.problems.length > 0 || analysis.counts.errorRows > 0;
  const toWrite = analysis ? analysis.counts.create + analysis.counts.update : 0;

  async function runCommit() {
    setCommit({ state: "running", progress: null });
    try {
      const res = await fetch(`/api/crm/imports/${props.id}/commit`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ mapping, duplicateMode: mode }),
      });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => ({}));
        setCommit({ state: "failed", message: body.error?.message ?? "The import could not start. Try again in a moment." });
        return;
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let last: CommitLine | null = null;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines.filter(Boolean)) {
          last = JSON.parse(line) as CommitLine;
          if (last.type === "progress") setCommit({ state: "running", progress: last });
        }
      }
      if (last?.type === "done") {
        // The page's server side shows a committed import with the same
        // outcome, from the counts the commit stored.
        setCommit({ state: "done", summary: last.summary });
      } else if (last?.type === "error") {
        const { message, report } = last.error;
        setCommit({ state: "failed", message });
        if (report) setAnalysis((a) => (a ? { ...a, ...report } : a));
      } else setCommit({ state: "failed", message: "The connection was lost. Check the import history to see whether it finished." });
    } catch {
      setCommit({ state: "failed", message: "The connection was lost. Check the import history to see whether it finished." });
    }
  }

  if (commit.state === "done") {
    // Undoing refreshes the page, whose server side then shows the import undone.
    return (
      <ImportOutcome
        id={props.id}
        object={props.object}
        fileName={props.fileName}
        status="completed"
        summary={commit.summary}
        canUndo={props.canUndo}
      />
    );
  }

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>1. Map columns</h2>
          </CardTitle>
          <CardDescription>
            {props.fileName}: {props.rowCount.toLocaleString("en-US")} rows. Choose the field each column fills; columns set to
            “Don’t import” are ignored.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Table aria-label="Column mapping">
            <TableHeader>
              <TableRow>
                <TableHead>Column in file</TableHead>
                <TableHead>Sample values</TableHead>
                <TableHead className="w-64">Import into</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {props.headers.map((h, i) => {
                const current = mapping[i] ?? "";
                const samples = props.samples.map((r) => r[i]).filter((v) => v && v.trim());
                return (
                  <TableRow key={`${i}-${h}`}>
                    <TableCell className="font-medium">{h}</TableCell>
                    <TableCell className="max-w-xs truncate text-muted-foreground">{samples.slice(0, 3).join(" · ")}</TableCell>
                    <TableCell>
                      <NativeSelect
                        aria-label={`Import column “${h}” into`}
                        value={current}
                        onChange={(e) => setMapping((m) => {
                          const next = { ...m };
                          if (e.target.value) next[i] = e.target.value;
                          else delete next[i];
                          return next;
                        })}
                      >
                        <option value="">Don’t import</option>
                        {props.fields.map((f) => (
                          <option key={f.key} value={f.key} disabled={used.has(f.key) && current !== f.key}>
                            {f.label}
                            {f.hint ? ` — ${f.hint}` : ""}
                          </option>
                        ))}
                      </NativeSelect>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>2. Duplicates</h2>
          </CardTitle>
          <CardDescription>{MATCH_RULES[props.object]} Rows repeating an earlier row of the same file are reported and skipped.</CardDescription>
        </CardHeader>
        <CardContent>
          <fieldset className="grid gap-3">
            <legend className="sr-only">When a row matches an existing record</legend>
            {MODES.map((m) => (
              <label key={m.value} className="flex items-start gap-3 text-sm">
                <input
                  type="radio"
                  name="duplicate-mode"
                  value={m.value}
                  checked={mode === m.value}
                  onChange={() => setMode(m.value)}
                  className="mt-1 accent-primary"
                />
                <span>
                  <span className="font-medium">{m.label}</span>
                  <span className="block text-muted-foreground">{m.help}</span>
                </span>
              </label>
            ))}
          </fieldset>
        </CardContent>
      </Card>

      <Card aria-busy={checking}>
        <CardHeader>
          <CardTitle>
            <h2>3. Preview and check</h2>
          </CardTitle>
          <CardDescription>
            Every row is checked with the same rules as the {noun.one} form. Row numbers are as in a spreadsheet: the header is
            row 1, the first data row is row 2.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <p role="status" className="text-sm text-muted-foreground">
            {checking ? "Checking every row…" : analysis ? summaryText(analysis) : ""}
          </p>
          {checkError ? (
            <Alert variant="destructive">
              <AlertTitle>{checkError}</AlertTitle>
            </Alert>
          ) : null}
          {analysis?.problems.length ? (
            <Alert variant="destructive">
              <AlertTitle>The mapping is incomplete</AlertTitle>
              <AlertDescription>
                <ul className="list-disc pl-4">
                  {analysis.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </AlertDescription>
            </Alert>
          ) : null}
          {analysis ? <Report analysis={analysis} /> : null}
          {analysis && analysis.preview.columns.length ? <PreviewTable analysis={analysis} /> : null}
        </CardContent>
      </Card>

      <div className="grid gap-3">
        {commit.state === "running" ? <ProgressBar progress={commit.progress} /> : null}
        {commit.state === "failed" ? (
          <Alert variant="destructive" role="alert">
            <AlertTitle>Nothing was imported</AlertTitle>
            <AlertDescription>{commit.message}</AlertDescription>
          </Alert>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={runCommit} disabled={blocked || commit.state === "running" || toWrite === 0}>
            {commit.state === "running"
              ? "Importing…"
              : `Import ${toWrite.toLocaleString("en-US")} ${toWrite === 1 ? noun.one : noun.many.toLowerCase()}`}
          </Button>
          <Button asChild variant="ghost">
            <Link href="/import">Cancel</Link>
          </Button>
          {analysis && analysis.counts.errorRows > 0 ? (
            <span className="text-sm text-muted-foreground">
              Fix the rows with errors in your file (or change the mapping) first: an import is all or nothing.
            </span>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function summaryText(a: Analysis) {
  const c = a.counts;
  const n = (v: number) => v.toLocaleString("en-US");
  const parts = [`${n(c.rows)} rows checked`, `${n(c.create)} to create`, `${n(c.update)} to update`, `${n(c.skip)} to skip`];
  if (c.companiesToCreate) parts.push(`${n(c.companiesToCreate)} new companies to link`);
  if (c.errorRows) parts.push(`${n(c.errorRows)} rows with errors`);
  return `${parts.join(", ")}.${c.errorRows ? "" : " Ready to import."}`;
}

function Report({ analysis }: { analysis: Analysis }) {
  const { issues, counts } = analysis;
  if (!issues.length) {
    return <p className="text-sm">No problems found in any row.</p>;
  }
  const listed = issues.length;
  const total = counts.errors + counts.warnings;
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">
        Validation report: {counts.errors.toLocaleString("en-US")} errors, {counts.warnings.toLocaleString("en-US")} warnings
        {total > listed ? ` (first ${listed} shown)` : ""}
      </h3>
      {/* Focusable so keyboard users can scroll it; the table primitive's own scroller is not. */}
      <div role="region" aria-label="Validation report, scrollable" tabIndex={0} className="max-h-80 overflow-auto rounded-md border">
        <table aria-label="Validation report" className="w-full caption-bottom text-sm">
          <TableHeader>
            <TableRow>
              <TableHead className="w-20">Row</TableHead>
              <TableHead className="w-48">Column</TableHead>
              <TableHead>Problem</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {issues.map((i, n) => (
              <TableRow key={`${i.row}-${i.column}-${n}`}>
                <TableCell>{i.row}</TableCell>
                <TableCell>{i.column ?? "—"}</TableCell>
                <TableCell>
                  <Badge variant={i.level === "error" ? "destructive" : "secondary"} className="mr-2">
                    {i.level === "error" ? "Error" : "Warning"}
                  </Badge>
                  {i.message}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </table>
      </div>
    </div>
  );
}

function PreviewTable({ analysis }: { analysis: Analysis }) {
  const { columns, rows } = analysis.preview;
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">Preview of the first {rows.length} rows, as they will be stored</h3>
      <div role="region" aria-label="Import preview, scrollable" tabIndex={0} className="overflow-x-auto rounded-md border">
        <table aria-label="Import preview" className="w-full caption-bottom text-sm">
          <TableHeader>
            <TableRow>
              <TableHead>Row</TableHead>
              <TableHead>Action</TableHead>
              {columns.map((c) => (
                <TableHead key={c.key}>{c.label}</TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.row}>
                <TableCell>{r.row}</TableCell>
                <TableCell>
                  {r.invalid ? (
                    <Badge variant="destructive">Error</Badge>
                  ) : (
                    <Badge variant="outline">{r.action === "create" ? "Create" : r.action === "update" ? "Update" : "Skip"}</Badge>
                  )}
                </TableCell>
                {columns.map((c) => (
                  <TableCell key={c.key} className="max-w-48 truncate">
                    {r.cells[c.key]}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </table>
      </div>
    </div>
  );
}

function ProgressBar({ progress }: { progress: Progress | null }) {
  const pct = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const label = !progress
    ? "Starting…"
    : progress.phase === "validating"
      ? "Checking every row again…"
      : progress.phase === "companies"
        ? `Creating companies: ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")}`
        : progress.phase === "records"
          ? `Writing records: ${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")}`
          : "Finishing…";
  return (
    <div className="grid gap-1">
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        <div className="h-full bg-primary transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {label}. Nothing is saved until the whole file is in.
      </p>
    </div>
  );
}
