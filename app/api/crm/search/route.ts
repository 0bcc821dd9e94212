import { asMember, getSession } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { requestLog } from "@/lib/log";
import { searchRecords } from "@/modules/crm/search/queries";
import { searchQuerySchema } from "@/modules/crm/search/schema";

export const dynamic = "force-dynamic";

// A GET route rather than a server action: the palette fires a request per
// pause in typing and aborts the previous one. Server actions are queued one
// after another per client and cannot be aborted, so a slow early keystroke
// would hold back the answer to the latest one.
const headers = { "cache-control": "no-store" };

export async function GET(request: Request) {
  const session = await getSession();
  if (!session) return Response.json({ code: "unauthorized", message: "Sign in to search" }, { status: 401, headers });
  if (!can(session.role, "records.work")) {
    return Response.json({ code: "forbidden", message: "Your role cannot see records" }, { status: 403, headers });
  }
  const parsed = searchQuerySchema.safeParse({ q: new URL(request.url).searchParams.get("q") ?? "" });
  if (!parsed.success) {
    return Response.json(
      { code: "invalid_query", message: parsed.error.issues[0]?.message ?? "Invalid search", field: "q" },
      { status: 400, headers },
    );
  }
  try {
    const results = await asMember(session, (tx) => searchRecords(tx, parsed.data.q));
    return Response.json(results, { headers });
  } catch (error) {
    requestLog(request.headers.get("x-request-id")).error({ err: error }, "search failed");
    return Response.json({ code: "search_failed", message: "Search is unavailable, try again" }, { status: 500, headers });
  }
}
