import Link from "next/link";
import { cn } from "@/lib/utils";

const TABS = [
  { key: "mine", label: "My tasks", href: "/tasks" },
  { key: "all", label: "All tasks", href: "/tasks?scope=all" },
  { key: "list", label: "List", href: "/tasks/list" },
] as const;

/** My tasks / All tasks (grouped by due date) and the filterable list. */
export function TasksNav({ current }: { current: (typeof TABS)[number]["key"] }) {
  return (
    <nav aria-label="Task views" className="mb-6 inline-flex rounded-lg bg-muted p-1 text-sm">
      {TABS.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1.5 font-medium text-muted-foreground transition-colors hover:text-foreground",
            t.key === current && "bg-background text-foreground shadow-sm",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
