"use client";

import { parsePhoneNumberFromString } from "libphonenumber-js";
import { Phone } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { placeCallAction } from "../actions";

export type CallRecord = { type: "person" | "lead" | "deal"; id: string };

const readable = (e164: string) => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;

/**
 * Click-to-call as a hook, for a Call button or a list's phone cells: Covey rings the member's own
 * phone, which then connects to the contact. Says what happens next, or what to fix (with a link
 * to where it is fixed), and refreshes the page so the call shows on the timeline at once.
 */
export function useClickToCall() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const call = (record: CallRecord, number?: string) =>
    start(async () => {
      const result = await placeCallAction({ record, ...(number ? { number } : {}) });
      if (result.ok) {
        toast.success(`Calling your phone, ${readable(result.data.memberNumber)}`, {
          description: `Answer it and Covey connects you to ${readable(result.data.contactNumber)} from ${readable(result.data.orgNumber)}.`,
        });
        router.refresh();
        return;
      }
      const fix = result.fix as { href: string; label: string } | undefined;
      toast.error(result.error, fix ? { action: { label: fix.label, onClick: () => router.push(fix.href) } } : undefined);
      // A refused call may still be on the timeline, as failed with Twilio's reason.
      router.refresh();
    });
  return { call, pending };
}

/** "Call" on a record, or the phone icon beside one of its numbers (`number`). */
export function CallButton(props: { record: CallRecord; number?: string; icon?: boolean; name?: string }) {
  const { call, pending } = useClickToCall();
  if (props.icon) {
    const label = `Call ${props.name ? `${props.name} at ` : ""}${props.number ? readable(props.number) : "their phone"}`;
    return (
      <Button type="button" variant="ghost" size="icon" className="size-7" aria-label={label} title={label} disabled={pending} onClick={() => call(props.record, props.number)}>
        <Phone aria-hidden className="size-3.5" />
      </Button>
    );
  }
  return (
    <Button
      type="button"
      variant="outline"
      size="sm"
      disabled={pending}
      aria-label={props.name ? `Call ${props.name}` : undefined}
      onClick={() => call(props.record, props.number)}
    >
      <Phone aria-hidden />
      {pending ? "Calling…" : "Call"}
    </Button>
  );
}

const LIVE = new Set(["queued", "ringing", "in-progress"]);
/** A call that never heard back from Twilio is not watched forever. */
const WATCH_MS = 60 * 60_000;

/** While a Twilio call on the page is under way, the page is refreshed every 2 s so its status moves as Twilio reports it. */
export function LiveCallRefresh(props: { status: string; since: string }) {
  const router = useRouter();
  const live = LIVE.has(props.status) && Date.now() - new Date(props.since).getTime() < WATCH_MS;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [live, router]);
  return null;
}
