import pino from "pino";

// One JSON line per event on stdout; every line about a request carries its
// request id (see withRequestLog).
// Buffered, asynchronous writes: lines go out together once 4 KB have
// gathered or a second has passed, and on exit. A write per line (a
// system call and a thread-pool hop) was a measurable share of an API
// request's CPU.
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service: "covey" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization"], censor: "[redacted]" },
  },
  pino.destination({ sync: false, minLength: 4096, periodicFlush: 1000 }),
);

export function requestLog(requestId: string | null | undefined) {
  return log.child({ request_id: requestId ?? undefined });
}

/** The logger for the current request (server components, actions, route handlers). */
export async function currentLog() {
  const { headers } = await import("next/headers");
  return requestLog((await headers()).get("x-request-id"));
}
