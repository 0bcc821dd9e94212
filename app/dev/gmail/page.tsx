import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { asMember, requireSession } from "@/lib/auth/session";
import { isEmbedded } from "@/lib/env";
import { myMailbox } from "@/modules/gmail";
import { DevIncomingMailForm, type DevThread } from "@/modules/gmail/ui";

export const metadata: Metadata = { title: "Dev: Gmail" };
export const dynamic = "force-dynamic";

interface StandInMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  from: string;
  to: string;
  subject: string;
  snippet: string;
  messageId: string;
  date: string;
}

/** Plays the contacts of the signed-in member's Gmail: mail written here arrives in the mailbox and is pushed to Covey. Absent in production. */
export default async function DevGmailPage() {
  if (!isEmbedded()) notFound();
  const session = await requireSession();
  const mailbox = await asMember(session, (tx) => myMailbox(tx, session.user.id));
  const connected = mailbox?.status === "connected" ? mailbox : null;
  let messages: StandInMessage[] = [];
  if (connected) {
    const res = await fetch(`${process.env.GOOGLE_OAUTH_URL}/_dev/mailbox?email=${encodeURIComponent(connected.email)}`, { cache: "no-store" });
    if (res.ok) messages = ((await res.json()) as { messages: StandInMessage[] }).messages;
  }
  const sent: DevThread[] = messages
    .filter((m) => m.labelIds.includes("SENT"))
    .map((m) => ({ messageId: m.messageId, subject: m.subject, to: (/<([^>]+)>/.exec(m.to)?.[1] ?? m.to.split(",")[0]).trim() }));
  return (
    <main id="main" className="mx-auto grid max-w-2xl gap-6 p-6">
      <h1 className="text-2xl font-semibold">Dev: Gmail</h1>
      {connected ? (
        <>
          <p className="text-sm text-muted-foreground">
            Write to <strong className="text-foreground">{connected.email}</strong> as one of your contacts. The message arrives in the
            mailbox at the local Google stand-in, which pushes to the real gmail-push function, as Gmail and Pub/Sub would.
          </p>
          <DevIncomingMailForm sent={sent} />
          <section className="grid gap-2" aria-labelledby="dev-gmail-messages">
            <h2 id="dev-gmail-messages" className="text-lg font-medium">
              In the mailbox
            </h2>
            {messages.length === 0 ? <p className="text-sm text-muted-foreground">No messages yet.</p> : null}
            <ul className="grid gap-2">
              {messages.map((m) => (
                <li key={m.id} className="rounded-md border p-3 text-sm">
                  <p className="font-medium">{m.subject}</p>
                  <p className="text-muted-foreground">
                    {m.labelIds.includes("SENT") ? `To ${m.to}` : `From ${m.from}`} · thread {m.threadId}
                  </p>
                  <p>{m.snippet}</p>
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : (
        <p className="text-sm text-muted-foreground">
          Your Gmail is not connected.{" "}
          <Link href="/settings/integrations/gmail" className="underline underline-offset-4">
            Connect it
          </Link>{" "}
          with one of the stand-in&apos;s Google accounts first.
        </p>
      )}
    </main>
  );
}
