/** Object families an API key can be scoped to; each has a read scope, and all but the read-only ones a write scope. */
export const API_FAMILIES = ["leads", "people", "companies", "deals", "pipelines", "tasks", "notes", "messages", "emails", "calls", "webhooks", "reports"] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

/** Families with nothing to write: reports are computed from the records. */
export const READ_ONLY_FAMILIES = ["reports"] as const satisfies readonly ApiFamily[];
type ReadOnlyFamily = (typeof READ_ONLY_FAMILIES)[number];

export const isReadOnlyFamily = (f: ApiFamily): f is ReadOnlyFamily => (READ_ONLY_FAMILIES as readonly string[]).includes(f);

export type ApiScope = `${ApiFamily}:read` | `${Exclude<ApiFamily, ReadOnlyFamily>}:write`;

export const API_SCOPES: readonly ApiScope[] = API_FAMILIES.flatMap((f): ApiScope[] =>
  isReadOnlyFamily(f) ? [`${f}:read`] : [`${f}:read`, `${f}:write`],
);

export const FAMILY_LABELS: Record<ApiFamily, string> = {
  leads: "Leads",
  people: "People",
  companies: "Companies",
  deals: "Deals",
  pipelines: "Pipelines and stages",
  tasks: "Tasks",
  notes: "Notes",
  messages: "Text messages",
  emails: "Emails",
  calls: "Calls",
  webhooks: "Webhooks",
  reports: "Reports (ad spend, cost per lead)",
};
