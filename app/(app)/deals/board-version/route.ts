import { NextResponse } from "next/server";
import { z } from "zod";
import { asMember, getSession } from "@/lib/auth/session";
import { boardVersion } from "@/modules/crm/deals";

/** The board's fingerprint, polled by open boards to notice other people's moves. */
export async function GET(request: Request) {
  const session = await getSession();
  if (!session) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const pipeline = z.uuid().safeParse(new URL(request.url).searchParams.get("pipeline"));
  if (!pipeline.success) return NextResponse.json({ error: "pipeline must be a pipeline id" }, { status: 400 });
  const version = await asMember(session, (tx) => boardVersion(tx, pipeline.data));
  return NextResponse.json({ version }, { headers: { "cache-control": "no-store" } });
}
