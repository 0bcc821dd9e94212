import {
  ArrowRightLeftIcon,
  Building2Icon,
  CheckSquareIcon,
  ContactIcon,
  FileInputIcon,
  FileTextIcon,
  HandshakeIcon,
  ChartColumnIcon,
  BellIcon,
  InboxIcon,
  KanbanIcon,
  KeyRoundIcon,
  LayersIcon,
  LayoutDashboardIcon,
  MessagesSquareIcon,
  PhoneIcon,
  ListPlusIcon,
  MailIcon,
  PlugIcon,
  ScrollTextIcon,
  Settings2Icon,
  ShuffleIcon,
  TruckIcon,
  UploadIcon,
  UsersIcon,
  UsersRoundIcon,
  WebhookIcon,
  TriangleAlertIcon,
  type LucideIcon,
} from "lucide-react";

import { can, type Permission, type Role } from "@/lib/auth/permissions";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  permission?: Permission;
  /** A count from the shell's status shown beside the label. */
  badge?: "openAlerts" | "handoffsToDecide";
  /** Shown only while its badge counts something. */
  whenCounted?: boolean;
  /** Stands for the org's deals: one entry per pipeline noun takes its place ("Cases", "Intended parents"). */
  pipelines?: boolean;
  /** The pipelines an entry for deals opens; it is current on their boards and lists. */
  pipelineIds?: string[];
};

export type NavSection = {
  /** Shown as a group heading; the primary section has none. */
  label?: string;
  items: NavItem[];
};

export const NAV: NavSection[] = [
  {
    items: [
      { href: "/", label: "Dashboard", icon: LayoutDashboardIcon, permission: "records.work" },
      { href: "/leads", label: "Leads", icon: InboxIcon, permission: "records.work" },
      { href: "/inbox", label: "Inbox", icon: MessagesSquareIcon, permission: "records.work" },
      { href: "/people", label: "People", icon: ContactIcon, permission: "records.work" },
      { href: "/companies", label: "Companies", icon: Building2Icon, permission: "records.work" },
      { href: "/deals", label: "Deals", icon: HandshakeIcon, permission: "records.work", pipelines: true },
      { href: "/tasks", label: "Tasks", icon: CheckSquareIcon, permission: "records.work" },
      // Deals waiting for the viewer's side to accept or deny (modules/crm/handoffs).
      { href: "/handoffs", label: "Handoffs", icon: ArrowRightLeftIcon, permission: "records.work", badge: "handoffsToDecide", whenCounted: true },
      { href: "/reports", label: "Reports", icon: ChartColumnIcon, permission: "reports.view" },
      { href: "/import", label: "Import", icon: UploadIcon, permission: "records.work" },
      // Open alerts where owners and admins look every day, not only at the
      // foot of the settings; the Integrations page lists them first.
      {
        href: "/settings/integrations#alerts-heading",
        label: "Alerts",
        icon: TriangleAlertIcon,
        permission: "integrations.manage",
        badge: "openAlerts",
        whenCounted: true,
      },
    ],
  },
  {
    label: "Settings",
    items: [
      {
        href: "/settings/organization",
        label: "Organization",
        icon: Settings2Icon,
        permission: "settings.manage",
      },
      { href: "/settings/members", label: "Members", icon: UsersIcon, permission: "members.view" },
      { href: "/settings/teams", label: "Teams", icon: UsersRoundIcon, permission: "members.view" },
      { href: "/settings/notifications", label: "Notifications", icon: BellIcon },
      // Each member connects their own mailbox.
      { href: "/settings/integrations/gmail", label: "Gmail", icon: MailIcon },
      { href: "/settings/templates", label: "Templates", icon: FileTextIcon, permission: "records.work" },
      { href: "/settings/pipelines", label: "Pipelines", icon: KanbanIcon, permission: "settings.manage" },
      {
        href: "/settings/custom-fields",
        label: "Custom fields",
        icon: ListPlusIcon,
        permission: "settings.manage",
      },
      { href: "/settings/leads", label: "Lead settings", icon: InboxIcon, permission: "settings.manage" },
      { href: "/settings/forms", label: "Web forms", icon: FileInputIcon, permission: "settings.manage" },
      { href: "/settings/numbers", label: "Numbers", icon: PhoneIcon, permission: "integrations.manage" },
      { href: "/settings/routing", label: "Lead routing", icon: ShuffleIcon, permission: "settings.manage" },
      // Managers see the offers made to partners; admins manage them.
      { href: "/settings/partners", label: "Partners", icon: TruckIcon, permission: "records.assign" },
      { href: "/settings/api", label: "API", icon: KeyRoundIcon, permission: "api_keys.manage" },
      { href: "/settings/webhooks", label: "Webhooks", icon: WebhookIcon, permission: "webhooks.manage" },
      {
        href: "/settings/integrations",
        label: "Integrations",
        icon: PlugIcon,
        permission: "integrations.manage",
        badge: "openAlerts",
      },
      { href: "/settings/jobs", label: "Jobs", icon: LayersIcon, permission: "jobs.manage" },
      { href: "/settings/audit", label: "Audit log", icon: ScrollTextIcon, permission: "audit.view" },
    ],
  },
];

/**
 * The navigation `role` may see; sections left empty are dropped. The deals
 * entry becomes one entry per pipeline noun when `pipelineNav` names them.
 */
export function navFor(role: Role, pipelineNav?: readonly { label: string; href: string; pipelineIds: string[] }[]): NavSection[] {
  return NAV.map((section) => ({
    ...section,
    items: section.items
      .filter((item) => !item.permission || can(role, item.permission))
      .flatMap((item) =>
        item.pipelines && pipelineNav?.length ? pipelineNav.map((entry) => ({ ...item, ...entry })) : [item],
      ),
  })).filter((section) => section.items.length > 0);
}

/**
 * `/` matches only itself; other items also match their sub-pages (`/people/42`).
 * One of several entries for deals (`/deals?pipeline=…`) matches the deals
 * pages showing one of its pipelines: by `?pipeline=`, or without one, the
 * board and list show the org's first pipeline, which the first entry holds.
 */
export function isActive(
  pathname: string,
  item: Pick<NavItem, "href" | "pipelineIds">,
  current: { pipeline?: string | null; firstPipelineId?: string } = {},
): boolean {
  const [path, query] = item.href.split("?");
  if (path === "/") return pathname === "/";
  if (!(pathname === path || pathname.startsWith(`${path}/`))) return false;
  if (!query || !item.pipelineIds) return true;
  if (current.pipeline) return item.pipelineIds.includes(current.pipeline);
  return (pathname === "/deals" || pathname === "/deals/list") && !!current.firstPipelineId && item.pipelineIds.includes(current.firstPipelineId);
}
