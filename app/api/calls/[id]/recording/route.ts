import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import { log } from "@/lib/log";
import { createRecordingHandler } from "@/modules/calls";
import { appTwilioDeps } from "@/modules/twilio";

export const dynamic = "force-dynamic";

const recording = createRecordingHandler({
  session: getSession,
  database,
  twilio: appTwilioDeps,
  log: (err) => log.error({ err }, "call recording failed"),
});

export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }) {
  return recording(request, (await ctx.params).id);
}
