/** Object families an API key can be scoped to; each has a read and a write scope. */
export const API_FAMILIES = ["leads", "people", "companies", "deals", "pipelines", "tasks", "notes", "webhooks"] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

export const API_SCOPES = API_FAMILIES.flatMap((f) => [`${f}:read`, `${f}:write`] as const);
export type ApiScope = `${ApiFamily}:${"read" | "write"}`;

export const FAMILY_LABELS: Record<ApiFamily, string> = {
  leads: "Leads",
  people: "People",
  companies: "Companies",
  deals: "Deals",
  pipelines: "Pipelines and stages",
  tasks: "Tasks",
  notes: "Notes",
  webhooks: "Webhooks",
};
