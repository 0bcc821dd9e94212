"use client";

import { ImageIcon } from "lucide-react";
import { ZonedTime } from "@/components/time-zone";
import { cn } from "@/lib/utils";
import type { SmsMessageRow } from "../queries";
import { smsStatusText } from "./status";

/** A conversation as chat bubbles: the contact's texts on the left, the team's on the right with their delivery. */
export function SmsThread(props: { messages: SmsMessageRow[]; emptyText?: string }) {
  if (props.messages.length === 0) {
    return <p className="py-8 text-center text-sm text-muted-foreground">{props.emptyText ?? "No texts yet."}</p>;
  }
  return (
    <ol className="grid gap-3" aria-label="Text messages">
      {props.messages.map((m) => {
        const out = m.direction === "outbound";
        const failed = m.status === "undelivered" || m.status === "failed";
        return (
          <li key={m.id} className={cn("flex flex-col gap-1", out ? "items-end" : "items-start")} data-testid="sms-message" data-direction={m.direction}>
            <div
              className={cn(
                "max-w-[85%] rounded-2xl px-3 py-2 text-sm break-words whitespace-pre-wrap",
                out ? "rounded-br-sm bg-primary text-primary-foreground" : "rounded-bl-sm bg-muted text-foreground",
                failed && "ring-2 ring-destructive",
              )}
            >
              {m.body}
              {m.mediaUrls.map((u, i) => (
                <a key={u} href={u} target="_blank" rel="noreferrer" className="mt-1 flex items-center gap-1 underline underline-offset-2">
                  <ImageIcon className="size-3.5" aria-hidden />
                  Picture {i + 1}
                </a>
              ))}
            </div>
            <p className={cn("text-xs", failed ? "text-destructive" : "text-muted-foreground")}>
              {out ? `${m.authorName ?? "Covey"} · ` : null}
              <ZonedTime at={m.createdAt} />
              {out ? <span data-testid="sms-status"> · {smsStatusText(m.status, m.errorCode, m.errorMessage)}</span> : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
