"use server";

// The embedded runtime's stand-in for a contact writing to a member's Gmail:
// the message is delivered into the member's mailbox at the Google
// stand-in, which pushes to the real gmail-push function as Gmail would.
// Refused anywhere but the embedded runtime. The stand-in's dev paths sit
// beside its OAuth endpoints (GOOGLE_OAUTH_URL).
import { z } from "zod";
import { type ActionResult, fail, invalid, ok } from "@/lib/action-result";
import { authorize } from "@/lib/actions";
import { database } from "@/lib/db";
import { isEmbedded } from "@/lib/env";
import { myMailbox } from "./queries";

const devMailSchema = z.object({
  from: z.email("Enter the sender's email address"),
  fromName: z.string().max(200).optional(),
  subject: z.string().trim().min(1, "Enter a subject").max(500),
  text: z.string().trim().min(1, "Write the message").max(20_000),
  inReplyTo: z.string().max(1000).optional(),
});

export async function writeDevIncomingMail(input: unknown): Promise<ActionResult<{ id: string; threadId: string }>> {
  if (!isEmbedded()) return fail("The Gmail dev page exists only on the embedded runtime (npm start).");
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = devMailSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const mailbox = await database().asUser(session.claims, (tx) => myMailbox(tx, session.user.id));
  if (!mailbox || mailbox.status !== "connected") return fail("Connect your Gmail first (Settings → Integrations → Gmail).");
  const res = await fetch(`${process.env.GOOGLE_OAUTH_URL}/_dev/incoming`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ to: mailbox.email, ...parsed.data, inReplyTo: parsed.data.inReplyTo || undefined }),
  });
  if (!res.ok) return fail(`The Google stand-in refused the message (${res.status}).`);
  return ok((await res.json()) as { id: string; threadId: string });
}
