"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { setNotificationPreference } from "../actions";
import { NOTIFICATION_TYPE_KEYS, NOTIFICATION_TYPES, type NotificationType } from "../types";

/** One box per type: checked shows it in the member's bell. Saved on each change. */
export function NotificationPreferences({ initial }: { initial: Record<NotificationType, boolean> }) {
  const [values, setValues] = useState(initial);
  const [pending, start] = useTransition();
  const change = (type: NotificationType, inApp: boolean) => {
    const before = values[type];
    setValues((v) => ({ ...v, [type]: inApp }));
    start(async () => {
      const r = await setNotificationPreference({ type, inApp });
      if (!r.ok) {
        setValues((v) => ({ ...v, [type]: before }));
        return void toast.error(r.error);
      }
      toast.success(`${NOTIFICATION_TYPES[type].label}: ${inApp ? "on" : "off"}`);
    });
  };
  return (
    <fieldset className="grid gap-4" disabled={pending}>
      <legend className="mb-2 text-sm font-medium">Show in the bell</legend>
      {NOTIFICATION_TYPE_KEYS.map((type) => (
        <div key={type} className="flex items-start gap-3">
          <Checkbox
            id={`notify-${type}`}
            checked={values[type]}
            onCheckedChange={(c) => change(type, c === true)}
            aria-describedby={`notify-${type}-hint`}
            className="mt-0.5"
          />
          <div className="grid gap-1">
            <Label htmlFor={`notify-${type}`}>{NOTIFICATION_TYPES[type].label}</Label>
            <p id={`notify-${type}-hint`} className="text-sm text-muted-foreground">
              {NOTIFICATION_TYPES[type].description}
            </p>
          </div>
        </div>
      ))}
    </fieldset>
  );
}
