"use client";

import { Power, PowerOff, RefreshCw, RotateCcw, Send, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  deleteWebhookEndpoint,
  replayWebhookDeliveries,
  sendWebhookTestEvent,
  setWebhookEndpointEnabled,
} from "../actions";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Enable/disable; also the "Re-enable" of an endpoint turned off for failing. */
export function EnableButton(props: { id: string; enabled: boolean; label?: string; size?: "sm" | "default" }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const enable = !props.enabled;
  return (
    <Button
      variant="outline"
      size={props.size}
      disabled={pending}
      onClick={() =>
        start(async () => {
          const r = await setWebhookEndpointEnabled({ id: props.id, enabled: enable });
          if (!r.ok) return void toast.error(r.error);
          toast.success(enable ? "Endpoint enabled: waiting deliveries are sent now" : "Endpoint disabled: new events wait");
          router.refresh();
        })
      }
    >
      {enable ? <Power aria-hidden /> : <PowerOff aria-hidden />}
      {props.label ?? (enable ? "Enable" : "Disable")}
    </Button>
  );
}

export function SendTestEventButton(props: { id: string; disabled?: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={pending || props.disabled}
      title={props.disabled ? "Enable the endpoint to send a test event" : undefined}
      onClick={() =>
        start(async () => {
          const r = await sendWebhookTestEvent({ id: props.id });
          if (!r.ok) return void toast.error(r.error);
          toast.success(`Test event sent (webhook-id ${r.data.eventId})`);
          router.refresh();
        })
      }
    >
      <Send aria-hidden />
      Send test event
    </Button>
  );
}

export function DeleteEndpointButton(props: { id: string; url: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden />
        Delete
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete this endpoint?</AlertDialogTitle>
          <AlertDialogDescription className="break-all">
            {props.url} stops receiving events at once. Its delivery log and waiting deliveries are deleted too.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const r = await deleteWebhookEndpoint({ id: props.id });
                if (!r.ok) return void toast.error(r.error);
                toast.success("Endpoint deleted");
                setOpen(false);
                router.push("/settings/webhooks");
              });
            }}
          >
            Delete endpoint
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Re-reads the page: attempts land as the dispatcher works. */
export function RefreshButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button variant="outline" size="sm" disabled={pending} onClick={() => start(() => router.refresh())}>
      <RefreshCw aria-hidden className={pending ? "animate-spin" : undefined} />
      Refresh
    </Button>
  );
}

function useReplay(endpointId: string, enabled: boolean) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const replay = (deliveryIds?: string[], after?: () => void) =>
    start(async () => {
      const r = await replayWebhookDeliveries({ id: endpointId, deliveryIds });
      if (!r.ok) return void toast.error(r.error);
      const n = r.data.replayed;
      if (n === 0) toast.info("Nothing to replay: those deliveries are no longer dead letters");
      else toast.success(`${plural(n, "delivery", "deliveries")} queued again${enabled ? "" : "; they are sent once the endpoint is enabled"}`);
      after?.();
      router.refresh();
    });
  return { pending, replay };
}

export function ReplayButton(props: { endpointId: string; deliveryId: string; eventType: string; enabled: boolean }) {
  const { pending, replay } = useReplay(props.endpointId, props.enabled);
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={pending}
      aria-label={`Replay ${props.eventType} delivery ${props.deliveryId}`}
      onClick={() => replay([props.deliveryId])}
    >
      <RotateCcw aria-hidden />
      Replay
    </Button>
  );
}

export function ReplayAllButton(props: { endpointId: string; count: number; enabled: boolean }) {
  const [open, setOpen] = useState(false);
  const { pending, replay } = useReplay(props.endpointId, props.enabled);
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" size="sm" disabled={props.count === 0} onClick={() => setOpen(true)}>
        <RotateCcw aria-hidden />
        Replay all
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Replay {plural(props.count, "dead letter", "dead letters")}?</AlertDialogTitle>
          <AlertDialogDescription>
            Each is sent again with the same webhook-id and a fresh retry schedule, so receivers that already processed one
            can recognise it.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              replay(undefined, () => setOpen(false));
            }}
          >
            Replay all
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
