// The one permission matrix. UI (what is shown), server actions and route
// handlers (what is allowed) all ask `can()`; the database enforces the same
// rules again with has_org_role() in its policies.

export const ROLES = ["owner", "admin", "manager", "member"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  manager: "Manager",
  member: "Member",
};

const matrix = {
  "records.work": ["owner", "admin", "manager", "member"],
  "records.assign": ["owner", "admin", "manager"],
  "records.archive": ["owner", "admin", "manager"],
  "records.delete": ["owner", "admin"],
  "records.export": ["owner", "admin", "manager"],
  "reports.view": ["owner", "admin", "manager"],
  "members.view": ["owner", "admin", "manager", "member"],
  "members.manage": ["owner", "admin"],
  "settings.manage": ["owner", "admin"],
  "integrations.manage": ["owner", "admin"],
  "api_keys.manage": ["owner", "admin"],
  "webhooks.manage": ["owner", "admin"],
  "audit.view": ["owner", "admin"],
  "jobs.manage": ["owner", "admin"],
  "templates.manage": ["owner", "admin", "manager"],
  "owners.manage": ["owner"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof matrix;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && (matrix[permission] as readonly Role[]).includes(role);
}

/** Roles `actor` may give to others (only owners create owners). */
export function assignableRoles(actor: Role): Role[] {
  if (!can(actor, "members.manage")) return [];
  return can(actor, "owners.manage") ? [...ROLES] : ROLES.filter((r) => r !== "owner");
}
