import { NextResponse } from "next/server";
import { z } from "zod";
import { can } from "@/lib/auth/permissions";
import { asMember, getSession } from "@/lib/auth/session";
import { DomainError, detailsFromIssues, errorResponse, forbidden } from "@/lib/errors";
import { requestLog } from "@/lib/log";
import { loadStageCards } from "@/modules/crm/deals";
import { BOARD_CARDS_MAX_PAGE, boardFiltersSchema } from "@/modules/crm/deals/ui";

const LIMIT_ERROR = `limit must be a whole number from 1 to ${BOARD_CARDS_MAX_PAGE}`;

const querySchema = z.object({
  pipeline: z.uuid({ error: "pipeline must be a pipeline id" }),
  stage: z.uuid({ error: "stage must be a stage id" }),
  // The last card shown: "<position>:<id>".
  after: z
    .string()
    .regex(/^-?\d+(\.\d+)?(e[+-]?\d+)?:[0-9a-f-]{36}$/i, { error: "after must be <position>:<deal id>" })
    .transform((v) => {
      const i = v.indexOf(":");
      return { position: Number(v.slice(0, i)), id: v.slice(i + 1) };
    })
    .refine((a) => Number.isFinite(a.position) && z.uuid().safeParse(a.id).success, { error: "after must be <position>:<deal id>" }),
  // A refreshed board re-reads a column scrolled deep in pages of up to this many.
  limit: z.coerce
    .number({ error: LIMIT_ERROR })
    .int({ error: LIMIT_ERROR })
    .min(1, { error: LIMIT_ERROR })
    .max(BOARD_CARDS_MAX_PAGE, { error: LIMIT_ERROR })
    .optional(),
});

/** A column's next cards, as the board scrolls it (same filters as the board). */
export async function GET(request: Request) {
  try {
    const session = await getSession();
    if (!session) throw new DomainError("unauthorized");
    if (!can(session.role, "records.work")) throw forbidden("Your role cannot see deals.");
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = querySchema.safeParse(params);
    if (!parsed.success) {
      throw new DomainError("invalid_query", parsed.error.issues[0].message, { details: detailsFromIssues(parsed.error.issues) });
    }
    const filters = boardFiltersSchema.parse({ owner: params.owner, tag: params.tag, q: params.q });
    const cards = await asMember(session, (tx) =>
      loadStageCards(
        tx,
        { pipelineId: parsed.data.pipeline, stageId: parsed.data.stage, filters, after: parsed.data.after, limit: parsed.data.limit },
        { userId: session.user.id },
      ),
    );
    return NextResponse.json({ cards }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e, (err) => requestLog(request.headers.get("x-request-id")).error({ err }, "board cards failed"));
  }
}
