import { type Claims, database } from "@/lib/db";
import { isSessionEnded } from "@/lib/db/errors";
import { DomainError, errorBody } from "@/lib/errors";
import { requestLog } from "@/lib/log";
import { createClient } from "@/lib/supabase/server";
import { countHandoffsToDecide } from "@/modules/crm/handoffs";
import { openAlertCount } from "@/modules/integrations";
import { notificationSummary } from "@/modules/notifications";

export const dynamic = "force-dynamic";

// What the app shell shows on every page and polls for (the bell's count
// and latest notifications, and for owners and admins the open integration
// alerts; RLS shows others none, so theirs is 0): a GET route, so a poll never queues behind the
// page's own server actions, which run one at a time per client.
const headers = { "cache-control": "no-store" };

export async function GET(request: Request) {
  const supabase = await createClient();
  const claims = (await supabase.auth.getClaims()).data?.claims as Claims | undefined;
  if (!claims?.sub) return refuse(new DomainError("unauthorized", "Sign in again"));
  try {
    const status = await database().asUser(claims, async (tx) => ({
      notifications: await notificationSummary(tx),
      openAlerts: await openAlertCount(tx),
      handoffsToDecide: await countHandoffsToDecide(tx),
    }));
    return Response.json(status, { headers });
  } catch (error) {
    if (isSessionEnded(error)) return refuse(new DomainError("unauthorized", "Sign in again"));
    requestLog(request.headers.get("x-request-id")).error({ err: error }, "app shell status failed");
    return refuse(new DomainError("internal_error", "Notifications are unavailable, try again"));
  }
}

const refuse = (e: DomainError) => Response.json(errorBody(e), { status: e.status, headers });
