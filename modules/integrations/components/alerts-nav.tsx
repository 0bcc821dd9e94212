import Link from "next/link";
import { cn } from "@/lib/utils";
import type { AlertView } from "../registry";

const TABS = [
  { key: "active", label: "Active", href: "/settings/integrations" },
  { key: "snoozed", label: "Snoozed", href: "/settings/integrations?alerts=snoozed" },
  { key: "resolved", label: "Resolved", href: "/settings/integrations?alerts=resolved" },
] as const satisfies readonly { key: AlertView; label: string; href: string }[];

export function AlertsNav({ current }: { current: AlertView }) {
  return (
    <nav aria-label="Alert views" className="inline-flex w-fit rounded-lg bg-muted p-1 text-sm">
      {TABS.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          scroll={false}
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
