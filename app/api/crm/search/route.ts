import { can } from "@/lib/auth/permissions";
import { type Claims, database } from "@/lib/db";
import { DomainError, errorBody, forbidden, invalidFields } from "@/lib/errors";
import { requestLog } from "@/lib/log";
import { createClient } from "@/lib/supabase/server";
import { searchAsMember } from "@/modules/crm/search";
import { searchQuerySchema } from "@/modules/crm/search/ui";

export const dynamic = "force-dynamic";

// A GET route rather than a server action: the palette fires a request per
// pause in typing and aborts the previous one. Server actions are queued one
// after another per client and cannot be aborted, so a slow early keystroke
// would hold back the answer to the latest one.
// no-transform: the server would gzip each answer; for the few hundred bytes
// to 2 kB of a palette page that costs both ends more time than it saves.
const headers = { "cache-control": "no-store, no-transform" };

export async function GET(request: Request) {
  const supabase = await createClient();
  const claims = (await supabase.auth.getClaims()).data?.claims as Claims | undefined;
  if (!claims?.sub) return unauthorized();
  const parsed = searchQuerySchema.safeParse({ q: new URL(request.url).searchParams.get("q") ?? "" });
  try {
    // The membership (what getSession() reads) and the search in one
    // transaction and one statement: per keystroke, round trips add up.
    const { role, results } = await database().asUser(claims, (tx) => searchAsMember(tx, parsed.success ? parsed.data.q : ""));
    if (!role) return unauthorized();
    if (!can(role, "records.work")) return refuse(forbidden("Your role cannot see records"));
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? "Invalid search";
      return refuse(invalidFields({ q: message }, message));
    }
    return Response.json(results, { headers });
  } catch (error) {
    requestLog(request.headers.get("x-request-id")).error({ err: error }, "search failed");
    return refuse(new DomainError("internal_error", "Search is unavailable, try again"));
  }
}

// The app's one error body (lib/errors), with this route's no-transform.
const refuse = (e: DomainError) => Response.json(errorBody(e), { status: e.status, headers });
const unauthorized = () => refuse(new DomainError("unauthorized", "Sign in to search"));
