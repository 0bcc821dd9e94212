import { getSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { database } from "@/lib/db";
import { log } from "@/lib/log";
import { createReportCsvHandler } from "@/modules/reports";

export const dynamic = "force-dynamic";

const reportCsv = createReportCsvHandler({
  session: getSession,
  database,
  timeZone: getTimeZone,
  log: (err) => log.error({ err }, "report CSV failed"),
});

export async function GET(request: Request, ctx: { params: Promise<{ slug: string }> }) {
  return reportCsv(request, (await ctx.params).slug);
}
