import { answerPreflight, receiveSubmission, serveFormPage } from "@/modules/forms";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ key: string }> };

// A web form's public address: its hosted page, its submissions (plain HTML
// or JSON, from the origins it lists) and their CORS preflight.
export async function GET(request: Request, { params }: Params) {
  return serveFormPage(request, (await params).key);
}

export async function POST(request: Request, { params }: Params) {
  return receiveSubmission(request, (await params).key);
}

export async function OPTIONS(request: Request, { params }: Params) {
  return answerPreflight(request, (await params).key);
}
