import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { notFound, parseInput } from "@/lib/errors";

const jobIdSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, "Not a job id") });

const gone = () => notFound("This job no longer exists.");

async function call(tx: Tx, fn: "retry_job" | "discard_job", input: unknown): Promise<{ id: string }> {
  const { id } = parseInput(jobIdSchema, input);
  try {
    // The function checks the caller's role and the job's org itself.
    const { rows } = await sql<{ id: string }>`select public.${sql.raw(fn)}(${id}::bigint) as id`.execute(tx);
    return { id: rows[0].id };
  } catch (e) {
    throwRefusal(e, { notFound: gone });
  }
}

/** A dead job, or one waiting to retry, runs again now with a fresh round of attempts. */
export const retryJob = (tx: Tx, input: unknown) => call(tx, "retry_job", input);

/** A dead or waiting job is set aside for good. */
export const discardJob = (tx: Tx, input: unknown) => call(tx, "discard_job", input);
