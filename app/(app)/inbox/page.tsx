import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { cn } from "@/lib/utils";
import { recordHref } from "@/modules/crm/records/ui";
import { listConversations, listThread, markThreadRead } from "@/modules/sms";
import { ConversationView } from "@/modules/sms/ui";
import { listPhones } from "@/modules/twilio";

export const metadata: Metadata = { title: "Inbox" };

const E164 = /^\+[1-9][0-9]{6,14}$/;

export default async function InboxPage(props: { searchParams: Promise<{ c?: string }> }) {
  const session = await requirePermission("records.work");
  const [{ c }, zone] = await Promise.all([props.searchParams, getTimeZone()]);
  const { conversations, selected, phones } = await asMember(session, async (tx) => {
    const conversations = await listConversations(tx);
    const contact = c && E164.test(c) ? c : conversations[0]?.contactNumber;
    const conversation = conversations.find((x) => x.contactNumber === contact) ?? null;
    let selected = null;
    if (contact) {
      const messages = await listThread(tx, contact);
      if (messages.some((m) => m.direction === "inbound" && !m.readAt)) await markThreadRead(tx, contact);
      const record = conversation?.record ?? null;
      selected = { contact, messages, record, name: conversation?.name ?? null };
    }
    const phones = (await listPhones(tx)).filter((p) => p.smsEnabled).map((p) => ({ number: p.number, label: p.label }));
    return { conversations, selected, phones };
  });

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader title="Inbox" description="Text conversations with your contacts, newest first. Unread texts are marked until someone opens them." />
      {conversations.length === 0 ? (
        <Card className="p-6">
          <p className="text-sm text-muted-foreground">No texts yet. Texts to your numbers, and texts you send from a record, appear here.</p>
        </Card>
      ) : (
        <Card className="grid min-h-[32rem] grid-cols-1 gap-0 overflow-hidden p-0 md:grid-cols-[minmax(0,20rem)_minmax(0,1fr)]">
          <nav aria-label="Conversations" className="max-h-[40rem] overflow-y-auto border-b md:border-r md:border-b-0">
            <ul>
              {conversations.map((conv) => {
                const active = conv.contactNumber === selected?.contact;
                const unread = conv.unread > 0 && !active;
                return (
                  <li key={conv.contactNumber}>
                    <Link
                      href={`/inbox?c=${encodeURIComponent(conv.contactNumber)}`}
                      aria-current={active ? "page" : undefined}
                      className={cn("grid gap-0.5 border-b px-4 py-3 text-sm hover:bg-muted/60", active && "bg-muted")}
                      data-testid="conversation"
                    >
                      <span className="flex items-center justify-between gap-2">
                        <span className={cn("truncate", unread ? "font-semibold" : "font-medium")}>{conv.name ?? conv.contactNumber}</span>
                        {unread ? <Badge aria-label={`${conv.unread} unread`}>{conv.unread}</Badge> : null}
                      </span>
                      <span className={cn("truncate", unread ? "text-foreground" : "text-muted-foreground")}>
                        {conv.lastDirection === "outbound" ? "You: " : null}
                        {conv.lastBody}
                      </span>
                      <time className="text-xs text-muted-foreground" dateTime={conv.lastAt}>
                        {formatDateTime(conv.lastAt, zone)}
                      </time>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          {selected ? (
            <section aria-label={`Conversation with ${selected.name ?? selected.contact}`} className="flex min-h-0 flex-col">
              <header className="flex flex-wrap items-center justify-between gap-2 border-b px-4 py-3">
                <div>
                  <h2 className="font-semibold">{selected.name ?? selected.contact}</h2>
                  <p className="text-xs text-muted-foreground">{selected.contact}</p>
                </div>
                {selected.record ? (
                  <Link href={recordHref(selected.record.type, selected.record.id)} className="text-sm underline underline-offset-4">
                    Open {selected.record.type}
                  </Link>
                ) : null}
              </header>
              <ConversationView
                contact={selected.contact}
                initial={selected.messages}
                record={selected.record}
                phones={phones}
              />
            </section>
          ) : null}
        </Card>
      )}
    </div>
  );
}
