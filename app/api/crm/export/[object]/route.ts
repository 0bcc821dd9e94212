import { getSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { database } from "@/lib/db";
import { log } from "@/lib/log";
import { createExportHandler } from "@/modules/crm/export";

export const dynamic = "force-dynamic";

const exportList = createExportHandler({
  session: getSession,
  database,
  timeZone: getTimeZone,
  log: (err, message) => log.error({ err }, message),
});

export async function GET(request: Request, ctx: { params: Promise<{ object: string }> }) {
  return exportList(request, (await ctx.params).object);
}
