"use client";

import { MessageSquare } from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { loadRecordThread } from "../actions";
import type { SmsMessageRow, SmsRecordContact } from "../queries";
import { SmsComposer } from "./sms-composer";
import { SmsThread } from "./sms-thread";

interface Loaded {
  contact: SmsRecordContact | null;
  phones: { number: string; label: string }[];
  messages: SmsMessageRow[];
}

/** "Text" on a person, lead or deal: the conversation with its number as a chat, and a composer. Re-reads every 3 s while open, so delivery shows. */
export function SmsDrawer(props: { record: { type: "person" | "lead" | "deal"; id: string } }) {
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const { type, id } = props.record;

  const load = useCallback(async () => {
    const r = await loadRecordThread({ type, id });
    if (r.ok) {
      setData(r.data);
      setError(null);
    } else setError(r.error);
  }, [type, id]);

  useEffect(() => {
    if (!open) return;
    void load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [open, load]);

  const count = data?.messages.length ?? 0;
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [count]);

  const phone = data?.contact?.phone;
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <Button variant="outline" onClick={() => setOpen(true)}>
        <MessageSquare aria-hidden />
        Text
      </Button>
      <SheetContent className="flex w-full flex-col gap-0 sm:max-w-lg">
        <SheetHeader className="border-b">
          <SheetTitle>Text {data?.contact?.name || "this contact"}</SheetTitle>
          <SheetDescription>{phone ? `Texts with ${phone}` : data ? "No phone number to text" : "Loading…"}</SheetDescription>
        </SheetHeader>
        <div className="min-h-0 flex-1 overflow-y-auto p-4">
          {error ? <p className="text-sm text-destructive">{error}</p> : null}
          {data ? <SmsThread messages={data.messages} emptyText={phone ? "No texts with this number yet." : "Add a phone number to text them."} /> : null}
          <div ref={bottom} />
        </div>
        {data && phone ? (
          <div className="border-t p-4">
            {data.phones.length ? (
              <SmsComposer record={props.record} phones={data.phones} onSent={load} />
            ) : (
              <p className="text-sm text-muted-foreground">
                This workspace has no texting number yet.{" "}
                <Link href="/settings/numbers" className="underline underline-offset-4">
                  Settings → Numbers
                </Link>
              </p>
            )}
          </div>
        ) : null}
      </SheetContent>
    </Sheet>
  );
}
