import { replyToResponse } from "@/lib/api/errors";
import { routeApiRequest } from "@/modules/api";

// Every /api/v1 request on hosts that run Next.js alone (Vercel, `next dev`):
// the same operations table and router that server.ts answers from.
async function handle(request: Request): Promise<Response> {
  return replyToResponse(await routeApiRequest(request));
}

export { handle as DELETE, handle as GET, handle as HEAD, handle as OPTIONS, handle as PATCH, handle as POST, handle as PUT };
