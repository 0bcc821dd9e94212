"use client";

import { AlarmClockIcon, CheckCircle2Icon, EyeIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { ZonedTime } from "@/components/time-zone";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import type { ActionResult } from "@/lib/action-result";
import { announceShellStatusChanged } from "@/lib/shell-status";
import { acknowledgeIntegrationAlert, resolveIntegrationAlert, snoozeIntegrationAlert } from "../actions";
import type { AlertItem } from "../queries";
import { integrationLabel, SEVERITY_LABELS, SNOOZE_PRESETS } from "../registry";

const STATUS_LABELS = { open: "Open", acknowledged: "Acknowledged", snoozed: "Snoozed", resolved: "Resolved" } as const;

const hoursLabel = (h: number) => (h % 24 === 0 ? (h === 24 ? "1 day" : `${h / 24} days`) : h === 1 ? "1 hour" : `${h} hours`);

function useAlertAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = <T,>(action: () => Promise<ActionResult<T>>, success: (data: T) => string, after?: () => void) =>
    start(async () => {
      const r = await action();
      if (!r.ok) return void toast.error(r.error);
      toast.success(success(r.data));
      after?.();
      announceShellStatusChanged();
      router.refresh();
    });
  return { pending, run };
}

function SnoozeButton({ alert }: { alert: AlertItem }) {
  const [open, setOpen] = useState(false);
  const [hours, setHours] = useState("8");
  const [error, setError] = useState<string | null>(null);
  const { pending, run } = useAlertAction();
  const inputId = useId();
  const snooze = (h: number | string) =>
    run(
      async () => {
        const r = await snoozeIntegrationAlert({ id: alert.id, hours: h });
        if (!r.ok) setError(r.fieldErrors?.hours ?? null);
        return r;
      },
      () => `Snoozed for ${hoursLabel(Number(h))}`,
      () => setOpen(false),
    );
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" disabled={pending} aria-label={`Snooze “${alert.title}”`}>
          <AlarmClockIcon aria-hidden />
          Snooze
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="grid w-64 gap-3" aria-label="Snooze for">
        <p className="text-sm font-medium">Hide this alert for</p>
        <div className="flex flex-wrap gap-2">
          {SNOOZE_PRESETS.map((h) => (
            <Button key={h} variant="secondary" size="sm" disabled={pending} onClick={() => snooze(h)}>
              {hoursLabel(h)}
            </Button>
          ))}
        </div>
        <form
          className="grid gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            snooze(hours);
          }}
        >
          <Label htmlFor={inputId}>Hours</Label>
          <div className="flex gap-2">
            <Input
              id={inputId}
              inputMode="numeric"
              value={hours}
              onChange={(e) => {
                setHours(e.target.value);
                setError(null);
              }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${inputId}-error` : undefined}
              className="h-8"
            />
            <Button type="submit" size="sm" disabled={pending}>
              Snooze
            </Button>
          </div>
          {error && (
            <p id={`${inputId}-error`} className="text-sm text-destructive">
              {error}
            </p>
          )}
        </form>
      </PopoverContent>
    </Popover>
  );
}

function AlertActions({ alert }: { alert: AlertItem }) {
  const { pending, run } = useAlertAction();
  if (alert.status === "resolved") return null;
  return (
    <div className="flex flex-wrap gap-2">
      {alert.status !== "acknowledged" && (
        <Button
          variant="outline"
          size="sm"
          disabled={pending}
          aria-label={`Acknowledge “${alert.title}”`}
          onClick={() => run(() => acknowledgeIntegrationAlert({ id: alert.id }), () => "Alert acknowledged")}
        >
          <EyeIcon aria-hidden />
          Acknowledge
        </Button>
      )}
      <SnoozeButton alert={alert} />
      <Button
        variant="outline"
        size="sm"
        disabled={pending}
        aria-label={`Resolve “${alert.title}”`}
        onClick={() => run(() => resolveIntegrationAlert({ id: alert.id }), () => "Alert resolved")}
      >
        <CheckCircle2Icon aria-hidden />
        Resolve
      </Button>
    </div>
  );
}

/** Alerts with what is known of each and, unless resolved, acknowledge, snooze and resolve. */
export function AlertList({ alerts }: { alerts: AlertItem[] }) {
  return (
    <ul className="divide-y" aria-label="Alerts">
      {alerts.map((alert) => (
        <li
          key={alert.id}
          id={`alert-${alert.id}`}
          data-alert={alert.id}
          data-status={alert.status}
          className="grid scroll-mt-20 gap-2 py-4 first:pt-0 last:pb-0 target:bg-accent/40 sm:grid-cols-[1fr_auto]"
        >
          <div className="grid min-w-0 gap-1">
            <div className="flex flex-wrap items-center gap-2">
              <Badge variant={alert.severity === "critical" ? "destructive" : alert.severity === "warning" ? "secondary" : "outline"}>
                {SEVERITY_LABELS[alert.severity]}
              </Badge>
              <span className="font-medium">{alert.title}</span>
              <Badge variant="outline">{STATUS_LABELS[alert.status]}</Badge>
            </div>
            {alert.detail && <p className="text-sm break-words text-muted-foreground">{alert.detail}</p>}
            <p className="text-xs text-muted-foreground">
              {integrationLabel(alert.integration)}
              {alert.account && ` · ${alert.account}`} · {alert.count === 1 ? "seen once" : `seen ${alert.count} times`}, first{" "}
              <ZonedTime at={alert.first_seen} />, last <ZonedTime at={alert.last_seen} />
              {alert.status === "acknowledged" && alert.acknowledged_at && (
                <>
                  {" "}
                  · acknowledged{alert.acknowledged_by ? ` by ${alert.acknowledged_by}` : ""} <ZonedTime at={alert.acknowledged_at} />
                </>
              )}
              {alert.status === "snoozed" && alert.snoozed_until && (
                <>
                  {" "}
                  · snoozed until <ZonedTime at={alert.snoozed_until} />
                </>
              )}
              {alert.status === "resolved" && alert.resolved_at && (
                <>
                  {" "}
                  · resolved <ZonedTime at={alert.resolved_at} />
                </>
              )}
            </p>
          </div>
          <AlertActions alert={alert} />
        </li>
      ))}
    </ul>
  );
}
