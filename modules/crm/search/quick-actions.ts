import { Building2Icon, CheckSquareIcon, HandshakeIcon, InboxIcon, UploadIcon, UserPlusIcon, type LucideIcon } from "lucide-react";
import { can, type Permission, type Role } from "@/lib/auth/permissions";

export interface QuickAction {
  label: string;
  href: string;
  icon: LucideIcon;
  /** More words the palette matches the action by. */
  keywords: string[];
  permission: Permission;
}

// `?new=1` asks the list page to open its create form.
const QUICK_ACTIONS: QuickAction[] = [
  { label: "New person", href: "/people?new=1", icon: UserPlusIcon, keywords: ["create", "add", "contact"], permission: "records.work" },
  { label: "New company", href: "/companies?new=1", icon: Building2Icon, keywords: ["create", "add", "account", "organization"], permission: "records.work" },
  { label: "New deal", href: "/deals?new=1", icon: HandshakeIcon, keywords: ["create", "add", "opportunity"], permission: "records.work" },
  { label: "New task", href: "/tasks?new=1", icon: CheckSquareIcon, keywords: ["create", "add", "todo", "reminder"], permission: "records.work" },
  { label: "New lead", href: "/leads?new=1", icon: InboxIcon, keywords: ["create", "add", "inquiry", "prospect"], permission: "records.work" },
  { label: "Import CSV", href: "/import", icon: UploadIcon, keywords: ["upload", "spreadsheet"], permission: "records.work" },
];

export function quickActionsFor(role: Role): QuickAction[] {
  return QUICK_ACTIONS.filter((a) => can(role, a.permission));
}

/** Every word of the query starts a word of the text ("new pe" → "New person"). */
export function matchesWords(query: string, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/);
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((q) => words.some((w) => w.startsWith(q)));
}
