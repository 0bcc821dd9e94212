import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTimeZone } from "@/lib/auth/time-zone";
import { database, sql } from "@/lib/db";
import { isEmbedded } from "@/lib/env";
import { formatDateTime } from "@/lib/time";

export const metadata: Metadata = { title: "Dev mailbox" };
export const dynamic = "force-dynamic";

interface Mail {
  id: string;
  to_address: string;
  subject: string;
  text: string;
  tag: string | null;
  created_at: Date;
}

/** Where the embedded runtime delivers email. Absent in production. */
export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (!isEmbedded()) notFound();
  const { to } = await searchParams;
  const zone = await getTimeZone();
  const { rows } = await database().asService((tx) =>
    sql<Mail>`select id, to_address, subject, text, tag, created_at from local_dev.mailbox
              where ${to ?? null}::text is null or lower(to_address) = lower(${to ?? null})
              order by id desc limit 50`.execute(tx),
  );
  return (
    <main id="main" className="mx-auto grid max-w-3xl gap-4 p-6">
      <h1 className="text-2xl font-semibold">Dev mailbox</h1>
      <p className="text-sm text-muted-foreground">
        Email sent by this local Covey lands here instead of a mail provider{to ? ` (showing mail to ${to})` : ""}.
      </p>
      {rows.length === 0 ? <p className="text-sm">No email yet.</p> : null}
      {rows.map((m) => (
        <article key={m.id} className="rounded-lg border bg-card p-4" data-testid="mail" data-to={m.to_address} data-tag={m.tag ?? ""}>
          <header className="mb-2 grid gap-1">
            <h2 className="font-medium">{m.subject}</h2>
            <p className="text-xs text-muted-foreground">
              To {m.to_address} · {formatDateTime(m.created_at, zone, { seconds: true })} · {m.tag}
            </p>
          </header>
          <pre className="whitespace-pre-wrap break-words font-sans text-sm">
            {m.text.split(/(https?:\/\/\S+)/g).map((part, i) =>
              /^https?:\/\//.test(part) ? (
                <a key={i} href={part} className="text-primary underline">
                  {part}
                </a>
              ) : (
                part
              ),
            )}
          </pre>
        </article>
      ))}
    </main>
  );
}
