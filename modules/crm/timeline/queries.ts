// One record's timeline: the timeline_events rows that triggers write for
// every change, joined with what each kind needs to render (the note's
// current HTML and author, the task's title and state, the actor's name, the
// names behind ids in field edits). Items are plain JSON so the "Load older"
// client component receives them from a server action unchanged.

import { sql, type Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { formatCalendarDate, formatDateTime } from "@/lib/time";
import { type RecordRef, type RecordType } from "@/modules/crm/records/ui";
import { formatMoney } from "@/modules/crm/values/ui";
import { fieldLabel } from "./labels";
import { TIMELINE_ACTIVITIES, TIMELINE_PAGE_SIZE, type TimelineActivity } from "./schema";

export interface TimelineActor {
  id: string | null;
  name: string;
  type: "user" | "system" | "api_key";
}

export interface FieldChange {
  field: string;
  label: string;
  from: string | null;
  to: string | null;
}

export interface TimelineNote {
  id: string;
  html: string;
  authorId: string | null;
  authorName: string | null;
  createdAt: string;
  edited: boolean;
}

export interface TimelineTask {
  id: string;
  title: string;
  status: string;
  priority: string;
  dueAt: string | null;
  allDay: boolean;
  completedAt: string | null;
  assigneeName: string | null;
}

/** A text message's item (kinds sms_sent, sms_received), as the message is now: its delivery moves on after the item is written. */
export interface TimelineSms {
  body: string;
  direction: "inbound" | "outbound";
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  orgNumber: string;
  contactNumber: string;
  mediaUrls: string[];
}

/** A call's item (kinds call_logged, call_received, call_placed), as the call is now: its status and recording arrive after the item is written. */
export interface TimelineCall {
  id: string;
  direction: "inbound" | "outbound";
  source: "twilio" | "manual";
  status: string;
  outcome: string | null;
  notes: string;
  durationSeconds: number | null;
  contactNumber: string | null;
  answeredByName: string | null;
  recordingUrl: string | null;
  recordingDurationSeconds: number | null;
  voicemail: boolean;
  /** Why Twilio refused a placed call. */
  errorMessage: string | null;
}

/** An email on the timeline, as it is now (queued, then sent with Gmail's ids, or failed). */
export interface TimelineEmail {
  id: string;
  direction: "outbound" | "inbound";
  status: string;
  from: string;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string;
  html: string | null;
  text: string | null;
  providerMessageId: string | null;
  providerThreadId: string | null;
  error: string | null;
}

export interface TimelineItem {
  id: string;
  kind: string;
  /** The filter the item falls under (notes, emails, texts, calls, tasks, changes). */
  activity: TimelineActivity;
  occurredAt: string;
  actor: TimelineActor;
  /** The record the item is about: the note or task for those kinds, else a person, company or deal. */
  subject: { type: RecordType | "note" | "task"; id: string };
  /** Kind-specific payload as the trigger wrote it (stage names, reason, status...). */
  data: Record<string, unknown>;
  /** Field edits ("updated"), labelled and with ids turned into names. */
  changes?: FieldChange[];
  note?: TimelineNote;
  task?: TimelineTask;
  sms?: TimelineSms;
  call?: TimelineCall;
  email?: TimelineEmail;
  /** The record the item belongs to when it is not the record being viewed (a deal's note on its person). */
  via?: { type: RecordType; id: string; name: string };
}

export interface TimelinePage {
  items: TimelineItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const invalidCursor = () =>
  new DomainError("invalid_cursor", "The page link is invalid or out of date. Reload the record.", {
    details: { cursor: ["Pass `next_cursor` from this timeline's previous page unchanged"] },
  });

function encodeCursor(occurredAt: string, id: string): string {
  return Buffer.from(JSON.stringify([occurredAt, id]), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === "string" &&
      /^\d{4}-\d{2}-\d{2}[ T][\d:.+-]+$/.test(parsed[0]) &&
      typeof parsed[1] === "string" &&
      /^\d{1,19}$/.test(parsed[1])
    ) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

const COLUMN = { person: "e.person_id", company: "e.company_id", deal: "e.deal_id", lead: "e.lead_id" } as const;
const NAMED_ID_FIELDS: Record<string, RecordType | "member" | "pipeline"> = {
  owner_id: "member",
  company_id: "company",
  person_id: "person",
  pipeline_id: "pipeline",
};

/**
 * Newest first, keyset-paginated on (occurred_at, id): the next page starts
 * strictly after the last item shown, so pages never repeat or skip an item
 * even while new events arrive. `activity` keeps one kind of activity; its
 * pages read the (record, activity, occurred_at, id) index.
 */
export async function listTimeline(
  tx: Tx,
  subject: RecordRef,
  opts: { before?: string; limit?: number; timeZone?: string; activity?: TimelineActivity | null } = {},
): Promise<TimelinePage> {
  const limit = Math.min(Math.max(opts.limit ?? TIMELINE_PAGE_SIZE, 1), 100);
  let q = tx
    .selectFrom("timeline_events as e")
    .leftJoin("profiles as a", "a.user_id", "e.actor_id")
    .leftJoin("notes as n", "n.id", "e.note_id")
    .leftJoin("profiles as na", "na.user_id", "n.author_id")
    .leftJoin("tasks as t", "t.id", "e.task_id")
    .leftJoin("profiles as ta", "ta.user_id", "t.assignee_id")
    .leftJoin("sms_messages as s", (j) =>
      j.on(sql<boolean>`s.id = case when e.kind in ('sms_sent', 'sms_received') then (e.data ->> 'sms_id')::uuid end`),
    )
    .leftJoin("calls as c", (j) =>
      j.on(sql<boolean>`c.id = case when e.kind in ('call_logged', 'call_received', 'call_placed') then (e.data ->> 'call_id')::uuid end`),
    )
    .leftJoin("profiles as cu", "cu.user_id", "c.answered_by")
    .leftJoin("emails as em", "em.id", "e.email_id")
    .select([
      sql<string>`e.id::text`.as("id"),
      "e.kind",
      "e.activity",
      "e.occurred_at",
      sql<string>`e.occurred_at::text`.as("occurred_at_text"),
      "e.actor_id",
      "e.actor_type",
      "e.subject_type",
      "e.subject_id",
      "e.data",
      sql<string | null>`coalesce(nullif(a.full_name, ''), a.email)`.as("actor_name"),
      "n.id as note_id",
      "n.body_html",
      "n.author_id",
      sql<string | null>`coalesce(nullif(na.full_name, ''), na.email)`.as("author_name"),
      "n.created_at as note_created_at",
      "n.updated_at as note_updated_at",
      "n.person_id as note_person_id",
      "n.company_id as note_company_id",
      "n.deal_id as note_deal_id",
      "t.id as task_id",
      "t.title as task_title",
      "t.status as task_status",
      "t.priority as task_priority",
      "t.due_at as task_due_at",
      "t.all_day as task_all_day",
      "t.completed_at as task_completed_at",
      "t.person_id as task_person_id",
      "t.company_id as task_company_id",
      "t.deal_id as task_deal_id",
      sql<string | null>`coalesce(nullif(ta.full_name, ''), ta.email)`.as("assignee_name"),
      "s.id as sms_id",
      "s.body as sms_body",
      "s.direction as sms_direction",
      "s.status as sms_status",
      "s.error_code as sms_error_code",
      "s.error_message as sms_error_message",
      "s.org_number as sms_org_number",
      "s.contact_number as sms_contact_number",
      "s.media_urls as sms_media_urls",
      "c.id as call_id",
      "c.direction as call_direction",
      "c.source as call_source",
      "c.status as call_status",
      "c.outcome as call_outcome",
      "c.notes as call_notes",
      "c.duration_seconds as call_duration",
      "c.contact_number as call_contact_number",
      sql<string | null>`coalesce(nullif(cu.full_name, ''), cu.email)`.as("call_answered_by_name"),
      "c.recording_url as call_recording_url",
      "c.recording_duration_seconds as call_recording_duration",
      "c.voicemail as call_voicemail",
      "c.error_message as call_error_message",
      "em.id as email_id",
      "em.direction as email_direction",
      "em.status as email_status",
      "em.from_address as email_from",
      "em.from_name as email_from_name",
      "em.to_addresses as email_to",
      "em.cc_addresses as email_cc",
      "em.subject as email_subject",
      "em.body_html as email_html",
      "em.body_text as email_text",
      "em.provider_message_id as email_message_id",
      "em.provider_thread_id as email_thread_id",
      "em.error as email_error",
    ])
    .where(sql.ref(COLUMN[subject.type]), "=", subject.id);
  if (opts.activity) q = q.where("e.activity", "=", opts.activity);
  if (opts.before) {
    const [at, id] = decodeCursor(opts.before);
    // Bound as text: a parameter typed timestamptz goes through a JS Date and
    // loses the microseconds that tell events of one transaction apart.
    q = q.where(sql<boolean>`(e.occurred_at, e.id) < (${at}::text::timestamptz, ${id}::bigint)`);
  }
  const rows = await q.orderBy("e.occurred_at", "desc").orderBy("e.id", "desc").limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(last.occurred_at_text, last.id) : null;

  // Where each item belongs: a note or task to the record it is linked to
  // (a deal before its person or company), anything else to its subject.
  const owners = page.map((r): { type: RecordType; id: string } | null => {
    if (r.note_id) return linkOf(r.note_deal_id, r.note_person_id, r.note_company_id);
    if (r.task_id) return linkOf(r.task_deal_id, r.task_person_id, r.task_company_id);
    if (r.subject_type === "person" || r.subject_type === "company" || r.subject_type === "deal" || r.subject_type === "lead") {
      return { type: r.subject_type, id: r.subject_id };
    }
    return null;
  });

  const names = await resolveNames(tx, subject.type, page, owners);

  const items = page.map((r, i): TimelineItem => {
    const data = (r.data ?? {}) as Record<string, unknown>;
    const item: TimelineItem = {
      id: r.id,
      kind: r.kind,
      activity: r.activity as TimelineActivity,
      occurredAt: iso(r.occurred_at)!,
      actor: {
        id: r.actor_id,
        name: r.actor_name ?? (r.actor_type === "api_key" ? "API" : r.actor_type === "system" ? "Covey" : "Former member"),
        type: r.actor_type as TimelineActor["type"],
      },
      subject: { type: r.subject_type as TimelineItem["subject"]["type"], id: r.subject_id },
      data,
    };
    if (r.kind === "updated" && data.changes && typeof data.changes === "object") {
      item.changes = describeChanges(
        r.subject_type as RecordType,
        data.changes as Record<string, [unknown, unknown]>,
        names,
        names.currencies.get(r.subject_id),
        opts.timeZone,
      );
    }
    if (r.note_id) {
      item.note = {
        id: r.note_id,
        html: r.body_html ?? "",
        authorId: r.author_id ?? null,
        authorName: r.author_name,
        createdAt: iso(r.note_created_at)!,
        edited: new Date(r.note_updated_at!).getTime() - new Date(r.note_created_at!).getTime() > 1000,
      };
    }
    if (r.task_id) {
      item.task = {
        id: r.task_id,
        title: r.task_title ?? "",
        status: r.task_status ?? "todo",
        priority: r.task_priority ?? "normal",
        dueAt: iso(r.task_due_at ?? null),
        allDay: !!r.task_all_day,
        completedAt: iso(r.task_completed_at ?? null),
        assigneeName: r.assignee_name,
      };
    }
    if (r.sms_id) {
      item.sms = {
        body: r.sms_body ?? "",
        direction: r.sms_direction as TimelineSms["direction"],
        status: r.sms_status ?? "",
        errorCode: r.sms_error_code ?? null,
        errorMessage: r.sms_error_message ?? null,
        orgNumber: r.sms_org_number ?? "",
        contactNumber: r.sms_contact_number ?? "",
        mediaUrls: r.sms_media_urls ?? [],
      };
    }
    if (r.call_id) {
      item.call = {
        id: r.call_id,
        direction: r.call_direction as TimelineCall["direction"],
        source: r.call_source as TimelineCall["source"],
        status: r.call_status ?? "",
        outcome: r.call_outcome ?? null,
        notes: r.call_notes ?? "",
        durationSeconds: r.call_duration ?? null,
        contactNumber: r.call_contact_number ?? null,
        answeredByName: r.call_answered_by_name,
        recordingUrl: r.call_recording_url ?? null,
        recordingDurationSeconds: r.call_recording_duration ?? null,
        voicemail: !!r.call_voicemail,
        errorMessage: r.call_error_message ?? null,
      };
    }
    if (r.email_id) {
      item.email = {
        id: r.email_id,
        direction: r.email_direction as TimelineEmail["direction"],
        status: r.email_status ?? "queued",
        from: r.email_from ?? "",
        fromName: r.email_from_name ?? null,
        to: r.email_to ?? [],
        cc: r.email_cc ?? [],
        subject: r.email_subject ?? "",
        html: r.email_html ?? null,
        text: r.email_text ?? null,
        providerMessageId: r.email_message_id ?? null,
        providerThreadId: r.email_thread_id ?? null,
        error: r.email_error ?? null,
      };
    }
    const owner = owners[i];
    if (owner && !(owner.type === subject.type && owner.id === subject.id)) {
      const name = names.records.get(owner.id);
      if (name !== undefined) item.via = { ...owner, name };
    }
    return item;
  });
  return { items, nextCursor };
}

export type TimelineCounts = Record<TimelineActivity | "all", number>;

/** How many items the record's timeline holds, in all and per activity, for the filter's chips. */
export async function countTimeline(tx: Tx, subject: RecordRef): Promise<TimelineCounts> {
  const rows = await tx
    .selectFrom("timeline_events as e")
    .select(["e.activity", sql<number>`count(*)::int`.as("n")])
    .where(sql.ref(COLUMN[subject.type]), "=", subject.id)
    .groupBy("e.activity")
    .execute();
  const counts = Object.fromEntries([["all", 0], ...TIMELINE_ACTIVITIES.map((a) => [a, 0])]) as TimelineCounts;
  for (const r of rows) {
    counts[r.activity as TimelineActivity] = r.n;
    counts.all += r.n;
  }
  return counts;
}

function linkOf(deal: string | null, person: string | null, company: string | null) {
  if (deal) return { type: "deal" as const, id: deal };
  if (person) return { type: "person" as const, id: person };
  if (company) return { type: "company" as const, id: company };
  return null;
}

interface Names {
  records: Map<string, string>;
  members: Map<string, string>;
  pipelines: Map<string, string>;
  customLabels: Record<RecordType, Map<string, string>>;
  /** Current currency of deals whose value changed. */
  currencies: Map<string, string>;
}

type Row = { kind: string; subject_type: string; subject_id: string; data: unknown };

/** One query per kind of name, for the whole page. */
async function resolveNames(
  tx: Tx,
  viewed: RecordType,
  rows: Row[],
  owners: ({ type: RecordType; id: string } | null)[],
): Promise<Names> {
  const ids = { person: new Set<string>(), company: new Set<string>(), deal: new Set<string>(), lead: new Set<string>() };
  const members = new Set<string>();
  const pipelines = new Set<string>();
  const customTypes = new Set<RecordType>();
  const valueDeals = new Set<string>();
  for (const o of owners) if (o) ids[o.type].add(o.id);
  for (const r of rows) {
    if (r.kind !== "updated") continue;
    const changes = ((r.data as { changes?: Record<string, [unknown, unknown]> })?.changes ?? {}) as Record<
      string,
      [unknown, unknown]
    >;
    for (const [field, pair] of Object.entries(changes)) {
      if (field.startsWith("custom.")) customTypes.add(r.subject_type as RecordType);
      if (field === "value_minor") valueDeals.add(r.subject_id);
      const kind = NAMED_ID_FIELDS[field];
      if (!kind) continue;
      for (const v of pair) {
        if (typeof v !== "string") continue;
        if (kind === "member") members.add(v);
        else if (kind === "pipeline") pipelines.add(v);
        else ids[kind].add(v);
      }
    }
  }
  const [people, companies, deals, leads, memberRows, pipelineRows, defs, currencies] = await Promise.all([
    ids.person.size
      ? tx
          .selectFrom("people")
          .select(["id", sql<string>`coalesce(nullif(full_name, ''), email::text, 'Unnamed person')`.as("name")])
          .where("id", "in", [...ids.person])
          .execute()
      : [],
    ids.company.size
      ? tx.selectFrom("companies").select(["id", "name"]).where("id", "in", [...ids.company]).execute()
      : [],
    ids.deal.size ? tx.selectFrom("deals").select(["id", "name"]).where("id", "in", [...ids.deal]).execute() : [],
    ids.lead.size
      ? tx
          .selectFrom("leads")
          .select(["id", sql<string>`coalesce(nullif(full_name, ''), email::text, phone, 'Unnamed lead')`.as("name")])
          .where("id", "in", [...ids.lead])
          .execute()
      : [],
    members.size
      ? tx
          .selectFrom("profiles")
          .select(["user_id as id", sql<string>`coalesce(nullif(full_name, ''), email)`.as("name")])
          .where("user_id", "in", [...members])
          .execute()
      : [],
    pipelines.size ? tx.selectFrom("pipelines").select(["id", "name"]).where("id", "in", [...pipelines]).execute() : [],
    customTypes.size
      ? tx
          .selectFrom("custom_field_definitions")
          .select(["object_type", "key", "label"])
          .where("object_type", "in", [...customTypes])
          .execute()
      : [],
    valueDeals.size
      ? tx.selectFrom("deals").select(["id", "currency"]).where("id", "in", [...valueDeals]).execute()
      : [],
  ]);
  const customLabels = {
    person: new Map<string, string>(),
    company: new Map<string, string>(),
    deal: new Map<string, string>(),
    lead: new Map<string, string>(),
  };
  for (const d of defs) customLabels[d.object_type].set(d.key, d.label);
  return {
    records: new Map([...people, ...companies, ...deals, ...leads].map((r) => [r.id, r.name])),
    members: new Map(memberRows.map((m) => [m.id, m.name])),
    pipelines: new Map(pipelineRows.map((p) => [p.id, p.name])),
    customLabels,
    currencies: new Map(currencies.map((d) => [d.id, d.currency])),
  };
}

/** `zone`: the reader's; without one (the REST API) instants are shown in UTC and say so. */
function displayValue(field: string, v: unknown, names: Names, currency: string | undefined, zone: string | undefined): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (Array.isArray(v)) return v.length ? v.map((x) => String(x)).join(", ") : null;
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (field === "value_minor" && (typeof v === "number" || typeof v === "string")) {
    return currency ? formatMoney(v, currency) : String(v);
  }
  const kind = NAMED_ID_FIELDS[field];
  if (kind && typeof v === "string") {
    const name = kind === "member" ? names.members.get(v) : kind === "pipeline" ? names.pipelines.get(v) : names.records.get(v);
    return name ?? "a removed record";
  }
  if (typeof v === "string") {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatCalendarDate(v);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) {
      return zone ? formatDateTime(v, zone) : `${formatDateTime(v, "UTC")} UTC`;
    }
    return v;
  }
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** {field: [old, new]} from the trigger → labelled changes, in a stable order. */
export function describeChanges(
  type: RecordType,
  changes: Record<string, [unknown, unknown]>,
  names: Names,
  currency?: string,
  zone?: string,
): FieldChange[] {
  return Object.entries(changes)
    .filter(([field]) => field !== "currency" || !("value_minor" in changes))
    .map(([field, [from, to]]) => ({
      field,
      label: fieldLabel(type, field, names.customLabels[type]),
      from: displayValue(field, from, names, currency, zone),
      to: displayValue(field, to, names, currency, zone),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
