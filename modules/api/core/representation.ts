// How a record looks to integrators: the REST API's responses and the `data`
// of every webhook payload. One function for both, so a webhook carries the
// record exactly as `GET /api/v1/<object>/<id>` returns it.
//
// Plain TypeScript without imports: the webhook-dispatch Edge Function runs it
// under Deno on rows from `domain_events.data` (to_jsonb of the row), and the
// app runs it on rows read through postgres.js (Dates, int8 as strings).

export type ObjectType = "lead" | "person" | "company" | "deal" | "task" | "note" | "pipeline" | "stage" | "call" | "match";

// A call's `from` and `to` are its two numbers (org_number, contact_number)
// in the order the call went: the caller's first.
type Kind = "value" | "timestamp" | "date" | "integer" | "caller" | "callee";

const common = { id: "value", created_at: "timestamp", updated_at: "timestamp" } as const;

/** The fields each object exposes, in the order they are written out. */
const FIELDS: Record<ObjectType, Record<string, Kind>> = {
  // The provider's raw payload stays out: it is PII as the provider sent it.
  lead: {
    ...common,
    source: "value",
    status: "value",
    first_name: "value",
    last_name: "value",
    full_name: "value",
    email: "value",
    phone: "value",
    company_name: "value",
    state: "value",
    message: "value",
    utm: "value",
    attribution: "value",
    external_id: "value",
    owner_id: "value",
    person_id: "value",
    company_id: "value",
    deal_id: "value",
    custom: "value",
    status_changed_at: "timestamp",
    last_contacted_at: "timestamp",
    converted_at: "timestamp",
    archived_at: "timestamp",
    created_by: "value",
  },
  person: {
    ...common,
    first_name: "value",
    last_name: "value",
    full_name: "value",
    email: "value",
    additional_emails: "value",
    phone: "value",
    additional_phones: "value",
    title: "value",
    company_id: "value",
    linkedin_url: "value",
    website: "value",
    address_line1: "value",
    address_line2: "value",
    city: "value",
    state: "value",
    postal_code: "value",
    country: "value",
    source: "value",
    tags: "value",
    owner_id: "value",
    last_contacted_at: "timestamp",
    custom: "value",
    archived_at: "timestamp",
    created_by: "value",
  },
  company: {
    ...common,
    name: "value",
    domain: "value",
    website: "value",
    email: "value",
    phone: "value",
    industry: "value",
    employee_count: "integer",
    description: "value",
    linkedin_url: "value",
    address_line1: "value",
    address_line2: "value",
    city: "value",
    state: "value",
    postal_code: "value",
    country: "value",
    tags: "value",
    owner_id: "value",
    last_contacted_at: "timestamp",
    custom: "value",
    archived_at: "timestamp",
    created_by: "value",
  },
  deal: {
    ...common,
    number: "integer",
    name: "value",
    pipeline_id: "value",
    stage_id: "value",
    status: "value",
    value_minor: "integer",
    currency: "value",
    owner_id: "value",
    company_id: "value",
    person_id: "value",
    expected_close_date: "date",
    closed_at: "timestamp",
    lost_reason: "value",
    stage_entered_at: "timestamp",
    priority: "value",
    tags: "value",
    custom: "value",
    archived_at: "timestamp",
    created_by: "value",
  },
  task: {
    ...common,
    title: "value",
    description: "value",
    due_at: "timestamp",
    all_day: "value",
    priority: "value",
    status: "value",
    completed_at: "timestamp",
    assignee_id: "value",
    person_id: "value",
    company_id: "value",
    deal_id: "value",
    archived_at: "timestamp",
    created_by: "value",
  },
  note: {
    ...common,
    body_html: "value",
    body_text: "value",
    author_id: "value",
    person_id: "value",
    company_id: "value",
    deal_id: "value",
  },
  pipeline: { ...common, name: "value", noun_singular: "value", noun_plural: "value", position: "integer", archived_at: "timestamp" },
  stage: {
    ...common,
    pipeline_id: "value",
    name: "value",
    position: "integer",
    probability: "integer",
    is_won: "value",
    is_lost: "value",
    restricted_roles: "value",
    restricted_team_ids: "value",
  },
  call: {
    ...common,
    direction: "value",
    source: "value",
    from: "caller",
    to: "callee",
    status: "value",
    outcome: "value",
    notes: "value",
    duration_seconds: "integer",
    user_id: "value",
    answered_by: "value",
    recording_url: "value",
    recording_duration_seconds: "integer",
    voicemail: "value",
    error_code: "value",
    error_message: "value",
    provider_sid: "value",
    person_id: "value",
    lead_id: "value",
    started_at: "timestamp",
    answered_at: "timestamp",
    ended_at: "timestamp",
  },
  match: {
    ...common,
    left_deal_id: "value",
    right_deal_id: "value",
    status: "value",
    declined_by: "value",
    decline_reason: "value",
    proposed_by: "value",
    status_changed_at: "timestamp",
    matched_at: "timestamp",
    declined_at: "timestamp",
  },
};

const OBJECT_NAMES: Record<ObjectType, string> = {
  lead: "lead",
  person: "person",
  company: "company",
  deal: "deal",
  task: "task",
  note: "note",
  pipeline: "pipeline",
  stage: "pipeline_stage",
  call: "call",
  match: "match",
};

export function isObjectType(s: string): s is ObjectType {
  return Object.hasOwn(FIELDS, s);
}

/** Each exposed field and how it is written out (the SQL rendering of lists follows the same table). */
export function fieldKinds(objectType: ObjectType): Readonly<Record<string, Kind>> {
  return FIELDS[objectType];
}

/** The `object` value of a type (`stage` is `pipeline_stage`). */
export function objectName(objectType: ObjectType): string {
  return OBJECT_NAMES[objectType];
}

/** The field names an object exposes (for OpenAPI and `fields` checks). */
export function representedFields(objectType: ObjectType): string[] {
  return Object.keys(FIELDS[objectType]);
}

function timestamp(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}

function date(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    // postgres.js reads a `date` as UTC midnight of that day.
    return v.toISOString().slice(0, 10);
  }
  return String(v).slice(0, 10);
}

/** The number that placed a call (`caller`) or took it (`callee`). */
function party(row: Record<string, unknown>, kind: "caller" | "callee"): unknown {
  const inbound = row.direction === "inbound";
  const number = (kind === "caller") === inbound ? row.contact_number : row.org_number;
  return number ?? null;
}

function integer(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * The API form of a record: `object` names its type, then every exposed
 * field (absent ones as null); internal columns (positions within a board
 * column, search text, org) are left out.
 */
export function represent(objectType: ObjectType, row: Record<string, unknown>): Record<string, unknown> {
  const fields = FIELDS[objectType];
  if (!fields) throw new Error(`Unknown object type ${objectType}`);
  const out: Record<string, unknown> = { object: OBJECT_NAMES[objectType] };
  for (const [name, kind] of Object.entries(fields)) {
    const v = row[name];
    if (kind === "timestamp") out[name] = timestamp(v);
    else if (kind === "date") out[name] = date(v);
    else if (kind === "integer") out[name] = integer(v);
    else if (kind === "caller" || kind === "callee") out[name] = party(row, kind);
    else out[name] = v === undefined ? null : v;
  }
  return out;
}


