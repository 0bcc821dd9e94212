import { database } from "@/lib/db";
import { requestLog } from "@/lib/log";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const started = performance.now();
  try {
    await database().ping();
    return Response.json(
      { status: "ok", database: "ok", latency_ms: Math.round(performance.now() - started) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    requestLog(request.headers.get("x-request-id")).error({ err: error }, "health check: database unreachable");
    return Response.json(
      { status: "error", database: "unreachable" },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
