import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatDateTime } from "@/lib/time";
import type { FormCounts, SubmissionRow } from "../queries";
import type { FormField } from "../schema";

const SPAM_REASONS: Record<string, string> = {
  honeypot: "trap field filled",
  too_fast: "sent too fast",
  missing_token: "no fill-time check",
  bad_token: "forged or stale check",
  turnstile: "failed Turnstile",
};

export function OutcomeBadge({ outcome, reason }: { outcome: SubmissionRow["outcome"]; reason?: string | null }) {
  if (outcome === "accepted") return <Badge>Accepted</Badge>;
  if (outcome === "spam") return <Badge variant="secondary">Spam{reason ? `: ${SPAM_REASONS[reason] ?? reason}` : ""}</Badge>;
  return <Badge variant="outline">Rejected</Badge>;
}

/** Accepted, spam and rejected, as three figures. */
export function Counts({ counts }: { counts: FormCounts }) {
  const items = [
    ["Accepted", counts.accepted],
    ["Spam", counts.spam],
    ["Rejected", counts.rejected],
  ] as const;
  return (
    <dl className="grid grid-cols-3 gap-3">
      {items.map(([label, n]) => (
        <div key={label} className="rounded-md border p-3">
          <dt className="text-xs text-muted-foreground">{label}</dt>
          <dd className="text-2xl font-semibold tabular-nums">{n.toLocaleString("en-US")}</dd>
        </div>
      ))}
    </dl>
  );
}

/** How the form looks to a visitor, inert. */
export function FormPreview({ fields }: { fields: FormField[] }) {
  return (
    <div role="group" className="grid gap-3 rounded-md border bg-background p-4" aria-label="Form preview">
      {fields.map((f) => (
        <div key={f.name} className="grid gap-1">
          <span className="text-sm font-medium">
            {f.label}
            {f.required ? <span className="text-destructive"> *</span> : null}
          </span>
          {f.type === "textarea" ? (
            <div className="h-16 rounded-md border bg-muted/40" />
          ) : f.type === "select" ? (
            <div className="flex h-9 items-center rounded-md border bg-muted/40 px-3 text-sm text-muted-foreground">
              {f.options?.join(" · ")}
            </div>
          ) : (
            <div className="h-9 rounded-md border bg-muted/40" />
          )}
        </div>
      ))}
      <div>
        <span className="inline-flex h-9 items-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground">Send</span>
      </div>
    </div>
  );
}

function summary(s: SubmissionRow, fields: FormField[]): string {
  const byMap = (m: string) => fields.find((f) => f.maps_to === m)?.name;
  const pick = (m: string) => (byMap(m) ? s.data[byMap(m)!] : undefined);
  const name = [pick("first_name"), pick("last_name")].filter(Boolean).join(" ");
  return [name, pick("email") ?? pick("phone")].filter(Boolean).join(" · ") || Object.values(s.data).slice(0, 2).join(" · ") || "—";
}

export function SubmissionsTable(props: { submissions: SubmissionRow[]; fields: FormField[]; zone: string }) {
  if (!props.submissions.length) return <p className="text-sm text-muted-foreground">No submissions yet.</p>;
  return (
    <div className="overflow-x-auto">
      <Table aria-label="Submissions">
        <TableHeader>
          <TableRow>
            <TableHead>When</TableHead>
            <TableHead>Outcome</TableHead>
            <TableHead>From</TableHead>
            <TableHead>Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.submissions.map((s) => (
            <TableRow key={s.id}>
              <TableCell className="whitespace-nowrap">{formatDateTime(s.created_at, props.zone)}</TableCell>
              <TableCell>
                <OutcomeBadge outcome={s.outcome} reason={s.spam_reason} />
              </TableCell>
              <TableCell className="max-w-xs whitespace-normal">
                <span className="font-medium">{summary(s, props.fields)}</span>
                {Object.keys(s.utm).length ? (
                  <span className="block text-xs text-muted-foreground">
                    {Object.entries(s.utm)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(", ")}
                  </span>
                ) : null}
              </TableCell>
              <TableCell className="max-w-sm text-sm whitespace-normal text-muted-foreground">
                {s.outcome === "rejected" && s.errors
                  ? Object.values(s.errors)
                      .map((m) => m[0])
                      .join("; ")
                  : s.lead_id
                    ? (
                        <Link href={`/leads/${s.lead_id}`} className="font-medium text-foreground underline-offset-4 hover:underline">
                          Open lead
                        </Link>
                      )
                    : s.origin ?? ""}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
