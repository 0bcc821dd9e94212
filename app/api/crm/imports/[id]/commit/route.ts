import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import { log } from "@/lib/log";
import { createCommitHandler } from "@/modules/crm/import";

export const dynamic = "force-dynamic";
// A 100k-row import commits in well under a minute; leave room on slow hosts.
export const maxDuration = 300;

const commit = createCommitHandler({
  session: getSession,
  database,
  log: (err, message) => log.error({ err }, message),
});

export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }) {
  return commit(request, (await ctx.params).id);
}
