"use client";

import {
  Archive,
  ArchiveRestore,
  ArrowRight,
  ArrowRightLeft,
  CalendarDays,
  CircleCheck,
  CirclePlus,
  Flag,
  GitMerge,
  HeartHandshake,
  ListTodo,
  MessageSquare,
  type LucideIcon,
  Mail,
  Pencil,
  Shuffle,
  StickyNote,
  Trash2,
  Trophy,
  UserCheck,
} from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { formatCalendarDate } from "@/lib/time";
import { cn } from "@/lib/utils";
import { recordHref, type RecordRef } from "@/modules/crm/records/ui";
import { ComposeEmail } from "@/modules/gmail/ui";
import type { TimelineItem } from "../queries";
import { CALL_KINDS } from "./call-item";
import { NoteItemBody } from "./note-item";
import { RelativeTime } from "./relative-time";

export interface TimelineViewer {
  userId: string;
  /** Owners and admins may edit and delete anyone's notes. */
  moderates: boolean;
  timeZone: string;
  /** The viewer's connected Gmail address, to reply from; null when not connected. */
  mailbox: string | null;
}

export interface ItemProps {
  item: TimelineItem;
  subject: RecordRef;
  viewer: TimelineViewer;
}

interface KindView {
  icon: LucideIcon;
  tone?: string;
  /** What happened, after the actor's name. */
  summary: (p: ItemProps) => ReactNode;
  body?: (p: ItemProps) => ReactNode;
}

const TYPE_NAME = { person: "person", company: "company", deal: "deal", lead: "lead" } as const;

/** "this person", or the linked record when the item came from another one. */
function what(p: ItemProps) {
  if (!p.item.via) return `this ${TYPE_NAME[p.subject.type]}`;
  return (
    <>
      {TYPE_NAME[p.item.via.type]} <RecordLink {...p.item.via} />
    </>
  );
}

function RecordLink({ type, id, name }: { type: RecordRef["type"]; id: string; name: string }) {
  return (
    <Link href={recordHref(type, id)} className="font-medium text-foreground underline-offset-4 hover:underline">
      {name}
    </Link>
  );
}

function reason(data: Record<string, unknown>) {
  return typeof data.reason === "string" && data.reason ? <span className="text-muted-foreground"> ({data.reason})</span> : null;
}

function Value({ children }: { children: string | null }) {
  return children === null ? <span className="text-muted-foreground italic">empty</span> : <span className="break-words">{children}</span>;
}

const STATUS_WORD: Record<string, string> = { open: "open", won: "won", lost: "lost" };

/**
 * How each kind of timeline event renders. Communications (email, sms,
 * call, meeting) add their entries here; an unknown kind still renders
 * with a neutral line rather than disappearing.
 */
export const TIMELINE_KINDS: Record<string, KindView> = {
  created: { icon: CirclePlus, summary: (p) => <>created {what(p)}</> },
  updated: {
    icon: Pencil,
    summary: (p) => {
      const labels = (p.item.changes ?? []).map((c) => c.label);
      return (
        <>
          updated {labels.length > 3 ? `${labels.length} fields` : labels.join(", ") || "details"}
          {p.item.via ? <> on {what(p)}</> : null}
        </>
      );
    },
    body: (p) =>
      p.item.changes?.length ? (
        <ul className="grid gap-1 text-sm">
          {p.item.changes.map((c) => (
            <li key={c.field} className="flex flex-wrap items-baseline gap-x-1.5">
              <span className="text-muted-foreground">{c.label}:</span>
              <Value>{c.from}</Value>
              <ArrowRight className="size-3 self-center text-muted-foreground" aria-label="changed to" />
              <Value>{c.to}</Value>
            </li>
          ))}
        </ul>
      ) : null,
  },
  archived: { icon: Archive, summary: (p) => <>archived {what(p)}</> },
  restored: { icon: ArchiveRestore, summary: (p) => <>restored {what(p)}</> },
  merged: {
    icon: GitMerge,
    summary: (p) => {
      const name = typeof p.item.data.merged_name === "string" ? p.item.data.merged_name : null;
      return <>merged {name ? <strong className="font-medium text-foreground">{name}</strong> : "a duplicate"} into {what(p)}</>;
    },
  },
  note: {
    icon: StickyNote,
    summary: (p) => <>added a note{p.item.via ? <> on {what(p)}</> : null}</>,
    body: (p) => (p.item.note ? <NoteItemBody note={p.item.note} viewer={p.viewer} /> : null),
  },
  note_deleted: { icon: Trash2, summary: (p) => <>deleted a note{p.item.via ? <> on {what(p)}</> : null}</> },
  task: {
    icon: ListTodo,
    summary: (p) => (
      <>
        created task <strong className="font-medium text-foreground">{p.item.task?.title ?? "(deleted)"}</strong>
        {p.item.via ? <> on {what(p)}</> : null}
      </>
    ),
  },
  task_completed: {
    icon: CircleCheck,
    tone: "text-emerald-600 dark:text-emerald-400",
    summary: (p) => (
      <>
        completed task <strong className="font-medium text-foreground">{p.item.task?.title ?? "(deleted)"}</strong>
        {p.item.via ? <> on {what(p)}</> : null}
      </>
    ),
  },
  stage_changed: {
    icon: Flag,
    summary: (p) => {
      const d = p.item.data;
      return (
        <>
          moved {p.item.via ? what(p) : "this deal"} from <strong className="font-medium text-foreground">{String(d.from_stage ?? "a removed stage")}</strong>{" "}
          → <strong className="font-medium text-foreground">{String(d.to_stage ?? "a removed stage")}</strong>
          {reason(d)}
        </>
      );
    },
  },
  status_changed: {
    icon: Trophy,
    summary: (p) => {
      // A lead's statuses are the org's own, named in the item.
      if (p.item.subject.type === "lead") {
        return (
          <>
            changed the status of {p.item.via ? what(p) : "this lead"} from{" "}
            <strong className="font-medium text-foreground">{String(p.item.data.from_label ?? p.item.data.from)}</strong> →{" "}
            <strong className="font-medium text-foreground">{String(p.item.data.to_label ?? p.item.data.to)}</strong>
          </>
        );
      }
      const to = STATUS_WORD[String(p.item.data.to)] ?? String(p.item.data.to);
      return (
        <>
          {to === "open" ? "reopened" : "marked"} {p.item.via ? what(p) : "this deal"}
          {to === "open" ? null : (
            <>
              {" "}as <strong className="font-medium text-foreground">{to}</strong>
            </>
          )}
          {/* Marking won or lost (or reopening) moves the deal too: one item says both. */}
          {p.item.data.to_stage_id ? (
            <>
              , moving it from <strong className="font-medium text-foreground">{String(p.item.data.from_stage ?? "a removed stage")}</strong> →{" "}
              <strong className="font-medium text-foreground">{String(p.item.data.to_stage ?? "a removed stage")}</strong>
            </>
          ) : null}
          {reason(p.item.data)}
        </>
      );
    },
  },
  // Handoffs between two sides of the org (modules/crm/handoffs).
  handoff_submitted: {
    icon: ArrowRightLeft,
    summary: (p) => <>submitted {p.item.via ? what(p) : "this deal"} for handoff at <strong className="font-medium text-foreground">{String(p.item.data.stage ?? "a removed stage")}</strong></>,
  },
  handoff_accepted: {
    icon: ArrowRightLeft,
    tone: "text-emerald-600 dark:text-emerald-400",
    summary: (p) => <>accepted the handoff of {p.item.via ? what(p) : "this deal"}</>,
  },
  handoff_denied: {
    icon: ArrowRightLeft,
    tone: "text-destructive",
    summary: (p) => <>denied the handoff of {p.item.via ? what(p) : "this deal"}{reason(p.item.data)}</>,
  },
  converted: {
    icon: UserCheck,
    tone: "text-emerald-600 dark:text-emerald-400",
    summary: (p) =>
      p.item.subject.type === "lead" && p.item.via ? (
        <>converted {what(p)}</>
      ) : (
        <>converted this lead</>
      ),
  },
  deal_conversion_failed: { icon: UserCheck, summary: () => <>could not make this lead a deal as its source says; it was kept as a lead to convert</> },
};

/** A lead's routing (modules/routing): which rule took it, and partners' answers. */
const strong = (text: unknown) => <strong className="font-medium text-foreground">{String(text)}</strong>;
const ROUTING_KINDS: Record<string, KindView> = {
  routed: {
    icon: Shuffle,
    summary: (p) => {
      const d = p.item.data;
      return (
        <>
          routed this lead by the rule {strong(d.rule_name)} to{" "}
          {d.partner_name ? <>partner {strong(d.partner_name)}</> : strong(d.user_name ?? "a member")}
        </>
      );
    },
  },
  routing_failed: { icon: Shuffle, summary: () => <>could not route this lead; it was kept unassigned</> },
  route_requested: {
    icon: Shuffle,
    summary: (p) => <>asked to route this lead again{p.item.data.routed ? null : "; no rule took it"}</>,
  },
  partner_accepted: { icon: Mail, tone: "text-emerald-600 dark:text-emerald-400", summary: (p) => <>recorded that {strong(p.item.data.partner_name)} accepted this lead</> },
  partner_rejected: {
    icon: Mail,
    summary: (p) => (
      <>
        recorded that {strong(p.item.data.partner_name)} declined this lead
        {p.item.data.reason ? <>: “{String(p.item.data.reason)}”</> : null}
      </>
    ),
  },
  partner_expired: { icon: Mail, summary: (p) => <>recorded that {strong(p.item.data.partner_name)} did not answer in time</> },
  partner_failed: { icon: Mail, summary: (p) => <>recorded that the offer could not be delivered to {strong(p.item.data.partner_name)}</> },
};

/** A deal's important dates (modules/crm/dates): added, changed (what, from and to), removed. */
const day = (v: unknown) => (typeof v === "string" && v ? formatCalendarDate(v) : "none");
const DATE_FIELDS: Record<string, { label: string; show: (v: unknown) => string }> = {
  kind: { label: "Kind", show: (v) => (v ? String(v) : "none") },
  date: { label: "Date", show: day },
  note: { label: "Note", show: (v) => (v ? String(v) : "none") },
  remind_days_before: { label: "Reminder", show: (v) => (v === null || v === undefined ? "none" : v === 0 ? "on the day" : `${v} days before`) },
};
const DATE_KINDS: Record<string, KindView> = {
  date_added: {
    icon: CalendarDays,
    summary: (p) => (
      <>
        added the date {strong(p.item.data.kind)}, {strong(day(p.item.data.date))}
      </>
    ),
    body: (p) => (p.item.data.note ? <p className="text-sm whitespace-pre-wrap">{String(p.item.data.note)}</p> : null),
  },
  date_changed: {
    icon: CalendarDays,
    summary: (p) => <>changed the date {strong(p.item.data.kind)}</>,
    body: (p) => {
      const changes = (p.item.data.changes ?? {}) as Record<string, [unknown, unknown]>;
      return (
        <ul className="grid gap-1 text-sm">
          {Object.entries(changes).map(([field, [from, to]]) => {
            const f = DATE_FIELDS[field] ?? { label: field, show: String };
            return (
              <li key={field} className="flex flex-wrap items-baseline gap-x-1.5">
                <span className="text-muted-foreground">{f.label}:</span>
                <Value>{f.show(from)}</Value>
                <ArrowRight className="size-3 self-center text-muted-foreground" aria-label="changed to" />
                <Value>{f.show(to)}</Value>
              </li>
            );
          })}
        </ul>
      );
    },
  },
  date_removed: {
    icon: CalendarDays,
    summary: (p) => (
      <>
        removed the date {strong(p.item.data.kind)}, {strong(day(p.item.data.date))}
      </>
    ),
  },
};

/** Matches (modules/matching), on both deals, naming the other side. */
function MatchWith(p: ItemProps) {
  const d = p.item.data;
  return typeof d.other_deal_id === "string" ? <RecordLink type="deal" id={d.other_deal_id} name={String(d.other_name ?? "a deal")} /> : strong(d.other_name ?? "a deal");
}
const MATCH_KINDS: Record<string, KindView> = {
  match_proposed: { icon: HeartHandshake, summary: (p) => <>proposed a match with <MatchWith {...p} /></> },
  match_advanced: {
    icon: HeartHandshake,
    summary: (p) => (
      <>
        moved the match with <MatchWith {...p} /> to {strong(p.item.data.status_label ?? p.item.data.status)}
      </>
    ),
  },
  match_matched: { icon: HeartHandshake, tone: "text-emerald-600 dark:text-emerald-400", summary: (p) => <>made the match with <MatchWith {...p} /></> },
  match_declined: {
    icon: HeartHandshake,
    summary: (p) => {
      const d = p.item.data;
      return (
        <>
          {d.declined_by ? <>recorded that {strong(d.declined_by)} declined</> : "closed"} the match with <MatchWith {...p} />
          {d.reason ? <>: “{String(d.reason)}”</> : null}
        </>
      );
    },
  },
};

/** Text messages (modules/sms): the message as it is now, with its delivery. */
const SMS_STATUS: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  undelivered: "Undelivered",
  failed: "Failed",
};
function SmsBody(p: ItemProps) {
  const s = p.item.sms;
  if (!s) return null;
  const failed = s.status === "undelivered" || s.status === "failed";
  return (
    <div className="grid gap-1">
      <p className="rounded-md border bg-muted/40 px-3 py-2 text-sm whitespace-pre-wrap text-foreground">
        {s.body || (s.mediaUrls.length ? "Picture message" : "")}
      </p>
      {s.mediaUrls.map((u, i) => (
        <a key={u} href={u} target="_blank" rel="noreferrer" className="text-xs underline underline-offset-2">
          Picture {i + 1}
        </a>
      ))}
      {s.direction === "outbound" ? (
        <p className={cn("text-xs", failed ? "text-destructive" : "text-muted-foreground")} data-testid="timeline-sms-status">
          {SMS_STATUS[s.status] ?? s.status}
          {failed && (s.errorCode || s.errorMessage) ? ` · ${s.errorCode ? `error ${s.errorCode}` : ""}${s.errorCode && s.errorMessage ? ": " : ""}${s.errorMessage ?? ""}` : null}
        </p>
      ) : null}
    </div>
  );
}
const SMS_KINDS: Record<string, KindView> = {
  sms_sent: { icon: MessageSquare, summary: (p) => <>texted {what(p)}{p.item.sms ? <> at {p.item.sms.contactNumber}</> : null}</>, body: SmsBody },
  sms_received: {
    icon: MessageSquare,
    tone: "text-sky-600 dark:text-sky-400",
    summary: (p) => <>received a text from {p.item.sms?.contactNumber ?? what(p)}{p.item.via ? <> for {what(p)}</> : null}</>,
    body: SmsBody,
  },
};

/** Email (modules/gmail): sent from a member's Gmail or synced from it, with Gmail's message and thread ids. */
const EMAIL_STATUS: Record<string, string> = { queued: "Sending", sent: "Sent", failed: "Not sent", received: "Received" };

function EmailBody({ item, subject, viewer }: ItemProps) {
  const email = item.email!;
  const other = email.direction === "inbound" ? email.from : email.to[0];
  const replyable = (subject.type === "person" || subject.type === "lead" || subject.type === "deal") && email.status !== "failed" && other;
  return (
    <article className="grid gap-2 rounded-md border bg-muted/30 p-3 text-sm" aria-label={`Email: ${email.subject || "(no subject)"}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-medium">{email.subject || "(no subject)"}</h3>
        <Badge variant={email.status === "failed" ? "destructive" : "outline"}>{EMAIL_STATUS[email.status] ?? email.status}</Badge>
      </div>
      <p className="text-muted-foreground">
        {email.fromName ? `${email.fromName} <${email.from}>` : email.from} → {email.to.join(", ")}
        {email.cc.length ? <> · cc {email.cc.join(", ")}</> : null}
      </p>
      {email.html ? (
        // Sanitised when stored (lib/mail/html.ts): text formatting and safe links only.
        <div className="prose prose-sm max-w-none break-words dark:prose-invert" dangerouslySetInnerHTML={{ __html: email.html }} />
      ) : (
        <p className="whitespace-pre-wrap break-words">{email.text}</p>
      )}
      {email.error ? <p className="text-destructive">{email.error}</p> : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-mono text-xs text-muted-foreground" data-testid="email-gmail-ids">
          {email.providerThreadId ? <>Gmail thread {email.providerThreadId}</> : null}
          {email.providerMessageId ? <> · message {email.providerMessageId}</> : null}
        </p>
        {replyable ? (
          <ComposeEmail
            trigger="reply"
            subject={{ type: subject.type as "person" | "lead" | "deal", id: subject.id }}
            from={viewer.mailbox}
            reply={{ emailId: email.id, title: email.subject, to: other }}
          />
        ) : null}
      </div>
    </article>
  );
}

const EMAIL_KINDS: Record<string, KindView> = {
  email: {
    icon: Mail,
    summary: (p) => {
      const e = p.item.email;
      if (!e) return <>emailed</>;
      return e.direction === "inbound" ? (
        <>
          received an email from {strong(e.fromName || e.from)}
          {p.item.via ? <> on {what(p)}</> : null}
        </>
      ) : (
        <>
          {e.status === "failed" ? "could not send" : "sent"} an email to {strong(e.to.join(", "))}
          {p.item.via ? <> on {what(p)}</> : null}
        </>
      );
    },
    body: (p) => (p.item.email ? <EmailBody {...p} /> : null),
  },
};

const FALLBACK: KindView = { icon: CirclePlus, summary: (p) => <>{p.item.kind.replace(/_/g, " ")}</> };

export function TimelineEntry(props: ItemProps) {
  const view = TIMELINE_KINDS[props.item.kind] ?? ROUTING_KINDS[props.item.kind] ?? MATCH_KINDS[props.item.kind] ?? SMS_KINDS[props.item.kind] ?? CALL_KINDS[props.item.kind] ?? EMAIL_KINDS[props.item.kind] ?? DATE_KINDS[props.item.kind] ?? FALLBACK;
  const Icon = view.icon;
  const body = view.body?.(props);
  return (
    <li className="relative flex gap-3 pb-5 last:pb-0" data-kind={props.item.kind}>
      <span
        aria-hidden
        className={cn(
          "relative z-10 mt-0.5 grid size-7 shrink-0 place-items-center rounded-full border bg-background text-muted-foreground",
          view.tone,
        )}
      >
        <Icon className="size-3.5" />
      </span>
      <div className="grid min-w-0 flex-1 gap-1.5">
        <p className="text-sm text-muted-foreground">
          <span className="font-medium text-foreground">{props.item.actor.name}</span> {view.summary(props)}
          <span aria-hidden> · </span>
          <RelativeTime iso={props.item.occurredAt} className="whitespace-nowrap" />
        </p>
        {body ? <div className="min-w-0">{body}</div> : null}
      </div>
    </li>
  );
}
