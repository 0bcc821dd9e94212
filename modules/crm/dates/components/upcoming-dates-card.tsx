"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatShortCalendarDate } from "@/lib/time";
import { cn } from "@/lib/utils";
import { countdown, daysBetween } from "../countdown";
import type { UpcomingDate } from "../queries";

type Scope = "mine" | "all";

interface Upcoming {
  items: UpcomingDate[];
  total: number;
}

/**
 * The dashboard's next 14 days of important dates: the member's own deals
 * first (what a case manager works from), the whole org's a click away.
 */
export function UpcomingDatesCard(props: { mine: Upcoming; all: Upcoming; today: string; days: number }) {
  const [scope, setScope] = useState<Scope>("mine");
  const shown = props[scope];
  const scopes: { key: Scope; label: string }[] = [
    { key: "mine", label: "Mine" },
    { key: "all", label: "Everyone's" },
  ];
  return (
    <Card role="region" aria-labelledby="upcoming-dates-title">
      <CardHeader>
        <CardTitle>
          <h2 id="upcoming-dates-title" className="text-base font-semibold">
            Upcoming dates
          </h2>
        </CardTitle>
        <CardDescription data-testid="upcoming-dates-summary">
          {shown.total} in the next {props.days} days
        </CardDescription>
        <CardAction>
          <div role="group" aria-label="Whose dates" className="flex gap-1">
            {scopes.map((s) => (
              <Button key={s.key} variant={scope === s.key ? "secondary" : "ghost"} size="sm" aria-pressed={scope === s.key} onClick={() => setScope(s.key)}>
                {s.label}
              </Button>
            ))}
          </div>
        </CardAction>
      </CardHeader>
      <CardContent>
        {shown.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {scope === "mine" ? "Nothing coming up on your records." : "Nothing coming up in your organization."}
          </p>
        ) : (
          <ol className="grid gap-3" aria-label="Upcoming dates">
            {shown.items.map((d) => {
              const soon = daysBetween(props.today, d.date) <= 1;
              return (
                <li key={d.id} className="flex items-baseline justify-between gap-3 text-sm" data-testid="upcoming-date">
                  <p className="min-w-0">
                    <span className="font-medium">{d.kind}</span>
                    {" · "}
                    <Link href={`/deals/${d.deal.id}`} className="font-medium underline-offset-4 hover:underline">
                      {d.deal.name}
                    </Link>
                    <span className="text-muted-foreground">
                      {" "}
                      ({d.deal.pipeline}
                      {scope === "all" && d.owner ? `, ${d.owner}` : ""})
                    </span>
                  </p>
                  <span className={cn("shrink-0 text-xs tabular-nums", soon ? "font-medium text-foreground" : "text-muted-foreground")}>
                    <time dateTime={d.date}>{formatShortCalendarDate(d.date)}</time> · {countdown(props.today, d.date)}
                  </span>
                </li>
              );
            })}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}
