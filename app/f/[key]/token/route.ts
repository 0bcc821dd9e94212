import { answerPreflight, serveFillToken } from "@/modules/forms";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ key: string }> };

// The fill-time token the embeddable snippet fetches when its page loads.
export async function GET(request: Request, { params }: Params) {
  return serveFillToken(request, (await params).key);
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).key);
}
