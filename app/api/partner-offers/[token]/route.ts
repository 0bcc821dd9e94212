// A partner's JSON answer to an offer. Reached as POST /p/{token}: proxy.ts
// hands every POST to a partner's link here, except the page's own server
// action, so the link partners hold is the one URL to answer by.
import { requestLog } from "@/lib/log";
import { answerOfferRequest } from "@/modules/routing";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const log = requestLog(request.headers.get("x-request-id"));
  return answerOfferRequest(request, token, (e) => log.error({ err: e }, "partner answer failed"));
}
