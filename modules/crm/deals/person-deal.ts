// Contact-first creation, for pipelines whose deals are each about one
// person (`pipelines.person_required`): the person and the deal in the
// caller's one transaction. An address an active person already has reuses
// that person; if they already have an open deal on the pipeline, the
// database refuses the deal (private.guard_one_deal_per_person) and the
// refusal names that deal, so nothing is written.
import type { Actor } from "@/lib/auth/actor";
import { sql, type Tx } from "@/lib/db";
import { invalidFields } from "@/lib/errors";
import { createPerson } from "@/modules/crm/people";
import { normalizeEmail } from "@/modules/crm/values/ui";
import { personDealSchema } from "./person-deal-schema";
import { dealSchema } from "./schema";
import { createDeal } from "./service";

/** The person a new deal is about: the active person with the address, or a new one from `person` (the person form's fields). */
export async function personForDeal(tx: Tx, actor: Actor, person: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const email = typeof person.email === "string" ? normalizeEmail(person.email) : null;
  const existing =
    email?.ok && email.value
      ? await tx
          .selectFrom("people")
          .select("id")
          .where(sql<boolean>`email operator(extensions.=) ${email.value}::extensions.citext`)
          .where("archived_at", "is", null)
          .executeTakeFirst()
      : undefined;
  const id = existing?.id ?? (await createPerson(tx, actor, person)).id;
  const row = await tx
    .selectFrom("people")
    .select(sql<string>`coalesce(nullif(full_name, ''), email::text, '')`.as("name"))
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return { id, name: row.name };
}

/** The "New case" form: its person, then its deal, named after the person unless named. */
export async function createDealWithPerson(
  tx: Tx,
  actor: Actor,
  raw: unknown,
  opts: { defaultCurrency: string },
): Promise<{ id: string; personId: string }> {
  const parsed = personDealSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalidFields(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])), parsed.error.issues[0].message);
  }
  const input = parsed.data;
  const owner = input.ownerId ?? actor.userId;
  const person = await personForDeal(tx, actor, {
    first_name: input.first_name,
    last_name: input.last_name,
    email: input.email,
    phone: input.phone,
    state: input.state,
    owner_id: owner,
  });
  const deal = dealSchema(opts.defaultCurrency).safeParse({
    name: input.name || person.name,
    pipelineId: input.pipelineId,
    stageId: input.stageId,
    value: input.value,
    ownerId: owner,
    personId: person.id,
    priority: input.priority,
  });
  if (!deal.success) {
    const issue = deal.error.issues[0];
    throw invalidFields({ [String(issue.path[0] ?? "name")]: issue.message }, issue.message);
  }
  const { id } = await createDeal(tx, actor, deal.data);
  return { id, personId: person.id };
}
