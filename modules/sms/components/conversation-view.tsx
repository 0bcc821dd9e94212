"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { loadConversation } from "../actions";
import type { SmsMessageRow } from "../queries";
import { SmsComposer } from "./sms-composer";
import { SmsThread } from "./sms-thread";

/** One inbox conversation: the thread (marked read as it is read, re-read every 3 s) and, when the contact is a record, a composer. */
export function ConversationView(props: {
  contact: string;
  initial: SmsMessageRow[];
  record: { type: "person" | "lead" | "deal"; id: string } | null;
  phones: { number: string; label: string }[];
}) {
  const [messages, setMessages] = useState(props.initial);
  const bottom = useRef<HTMLDivElement>(null);
  const { contact } = props;
  const load = useCallback(async () => {
    const r = await loadConversation({ contact });
    if (r.ok) setMessages(r.data.messages);
  }, [contact]);

  useEffect(() => {
    setMessages(props.initial);
  }, [props.initial]);
  useEffect(() => {
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages.length]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="min-h-0 flex-1 overflow-y-auto p-4">
        <SmsThread messages={messages} />
        <div ref={bottom} />
      </div>
      {props.record ? (
        <div className="border-t p-4">
          <SmsComposer record={props.record} phones={props.phones} onSent={load} />
        </div>
      ) : null}
    </div>
  );
}
