"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/actions";
import { parseInput } from "@/lib/errors";
import { listPhones } from "@/modules/twilio";
import { listThread, markThreadRead, smsContactOf } from "./queries";
import { threadRefSchema } from "./schema";
import { queueSms } from "./service";

const recordSchema = z.object({ type: z.enum(["person", "lead", "deal"]), id: z.uuid() });

/** Sends a text from a record's compose drawer: queued at once, sent by the job. */
export async function sendSmsAction(input: unknown) {
  const result = await runAction("records.work", "Could not send the text. Try again.", (tx, actor) => queueSms(tx, actor.userId, actor.orgId, input));
  if (result.ok) revalidatePath("/inbox");
  return result;
}

/** A record's conversation for the drawer: who, at which number, the messages, and the numbers it may be sent from. */
export async function loadRecordThread(input: unknown) {
  return runAction("records.work", "Could not load the texts. Try again.", async (tx) => {
    const record = parseInput(recordSchema, input);
    const contact = await smsContactOf(tx, record);
    const phones = (await listPhones(tx)).filter((p) => p.smsEnabled).map((p) => ({ number: p.number, label: p.label }));
    const messages = contact?.phone ? await listThread(tx, contact.phone) : [];
    if (contact?.phone && messages.some((m) => m.direction === "inbound" && !m.readAt)) await markThreadRead(tx, contact.phone);
    return { contact, phones, messages };
  });
}

/** An inbox conversation, marked read. */
export async function loadConversation(input: unknown) {
  return runAction("records.work", "Could not load the conversation. Try again.", async (tx) => {
    const { contact } = parseInput(threadRefSchema, input);
    const messages = await listThread(tx, contact);
    if (messages.some((m) => m.direction === "inbound" && !m.readAt)) await markThreadRead(tx, contact);
    return { messages };
  });
}
