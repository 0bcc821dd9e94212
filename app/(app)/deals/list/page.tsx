import type { Metadata } from "next";
import { redirect } from "next/navigation";
import Link from "next/link";
import { KanbanIcon } from "lucide-react";
import { RecordList } from "@/components/data-table/record-list";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { dealListFields, listDeals } from "@/modules/crm/deals";
import {
  archiveDealsAction,
  assignDealsAction,
  deleteDealsAction,
  editDealCellAction,
  NewDealButton,
  NewPersonDealButton,
  restoreDealsAction,
  tagDealsAction,
} from "@/modules/crm/deals/ui";
import { isListQueryError, listMemberOptions, listViews, viewLinkHref } from "@/modules/crm/lists";
import { parseListState, toClientFields } from "@/modules/crm/lists/ui";
import { listPipelines } from "@/modules/crm/pipelines";
import { nounsOf, pipelineListWords } from "@/modules/crm/pipelines/ui";

type SearchParams = Record<string, string | string[] | undefined>;

/** The pipeline a list is narrowed to, from its filters. */
const pipelineFilterOf = (filters: { field: string; op: string; value?: unknown }[]) => {
  const value = filters.find((f) => f.field === "pipeline" && f.op === "eq")?.value;
  return typeof value === "string" ? value : undefined;
};

export async function generateMetadata(props: { searchParams: Promise<SearchParams> }): Promise<Metadata> {
  const session = await requirePermission("records.work");
  const parsed = parseListState(await props.searchParams);
  const pipelines = await asMember(session, (tx) => listPipelines(tx));
  return { title: pipelineListWords(pipelines, pipelineFilterOf(parsed.state.filters)).title };
}

export default async function DealsListPage(props: { searchParams: Promise<SearchParams> }) {
  const session = await requirePermission("records.work");
  const timeZone = await getTimeZone();
  const params = await props.searchParams;
  const parsed = parseListState(params);
  const linked = await viewLinkHref(session, "deal", parsed.state, params, "/deals/list");
  if (linked) redirect(linked);
  let state = parsed.state;
  let stateError = parsed.ok ? undefined : parsed.error;

  const [ctx, views] = await Promise.all([
    asMember(session, async (tx) => {
      const [fields, defs, members, pipelines, org] = await Promise.all([
        dealListFields(tx),
        listCustomFieldDefs(tx, "deal"),
        listMemberOptions(tx),
        listPipelines(tx),
        tx.selectFrom("orgs").select("default_currency").executeTakeFirst(),
      ]);
      return { fields, defs, members, pipelines, currency: org?.default_currency?.trim() || "USD" };
    }),
    listViews(session, "deal"),
  ]);
  const load = (s: typeof state) =>
    asMember(session, (tx) => listDeals(tx, s, { fields: ctx.fields, userId: session.user.id, timeZone, withTotal: true }));
  let page;
  try {
    page = await load(state);
  } catch (e) {
    if (!isListQueryError(e)) throw e;
    // Show the list without the parts the URL got wrong, and say what they were.
    stateError = e.message;
    state = { ...state, filters: [], sort: { field: "created_at", dir: "desc" }, after: undefined };
    page = await load(state);
  }
  const newDeal = ctx.pipelines.length ? (
    <NewDealButton
      pipelines={ctx.pipelines.map((p) => ({ id: p.id, name: p.name, stages: p.stages.map((s) => ({ id: s.id, name: s.name })) }))}
      pipelineId={ctx.pipelines[0].id}
      members={ctx.members}
      currentUserId={session.user.id}
      defaultCurrency={ctx.currency}
      customDefs={ctx.defs}
    />
  ) : null;

  // A list narrowed to one pipeline offers its "New case"; the whole list, every such pipeline's.
  const shownPipeline = pipelineFilterOf(state.filters);
  const words = pipelineListWords(ctx.pipelines, shownPipeline);
  const newPersonDeals = ctx.pipelines
    .filter((p) => p.personRequired && (!shownPipeline || p.id === shownPipeline))
    .map((p) => <NewPersonDealButton key={p.id} pipeline={p} noun={nounsOf(p).singular} members={ctx.members} currentUserId={session.user.id} />);

  return (
    <div className="grid min-w-0 grid-cols-1 gap-2">
      <PageHeader
        title={words.title}
        description={words.description}
        actions={
          <div className="flex gap-2">
            <Button variant="outline" asChild>
              <Link href="/deals">
                <KanbanIcon aria-hidden />
                Board
              </Link>
            </Button>
            {newPersonDeals}
            {newDeal}
          </div>
        }
      />
      <RecordList
        objectType="deal"
        fields={toClientFields(ctx.fields)}
        rows={page.rows}
        nextCursor={page.nextCursor}
        total={page.total}
        state={state}
        basePath="/deals/list"
        detailBasePath="/deals"
        views={views}
        members={ctx.members}
        bulk={{
          assign: can(session.role, "records.assign") ? assignDealsAction : undefined,
          tag: tagDealsAction,
          archive: can(session.role, "records.archive") ? archiveDealsAction : undefined,
          restore: can(session.role, "records.archive") ? restoreDealsAction : undefined,
          delete: can(session.role, "records.delete") ? deleteDealsAction : undefined,
        }}
        inlineEdit={editDealCellAction}
        highlightKey="priority"
        canDelete={can(session.role, "records.delete")}
        canExport={can(session.role, "records.export")}
        defaultCurrency={ctx.currency}
        stateError={stateError}
        emptyState={
          <div className="grid justify-items-center gap-3 py-10 text-center">
            <p className="text-lg font-medium">No deals yet</p>
            <p className="max-w-sm text-sm text-muted-foreground">Track what you are selling: add a deal, or import them from a spreadsheet.</p>
            {newDeal}
          </div>
        }
      />
    </div>
  );
}
