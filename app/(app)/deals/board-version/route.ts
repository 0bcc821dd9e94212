import { NextResponse } from "next/server";
import { z } from "zod";
import { asMember, getSession } from "@/lib/auth/session";
import { DomainError, errorResponse } from "@/lib/errors";
import { requestLog } from "@/lib/log";
import { boardVersion } from "@/modules/crm/deals";

/** The board's fingerprint, polled by open boards to notice other people's moves. */
export async function GET(request: Request) {
  try {
    const session = await getSession();
    if (!session) throw new DomainError("unauthorized");
    const pipeline = z.uuid().safeParse(new URL(request.url).searchParams.get("pipeline"));
    if (!pipeline.success) {
      throw new DomainError("invalid_query", "pipeline must be a pipeline id", { details: { pipeline: ["Not a pipeline id"] } });
    }
    const version = await asMember(session, (tx) => boardVersion(tx, pipeline.data));
    return NextResponse.json({ version }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, (err) => requestLog(request.headers.get("x-request-id")).error({ err }, "board version failed"));
  }
}
