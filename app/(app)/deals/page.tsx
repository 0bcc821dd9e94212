import type { Metadata } from "next";
import Link from "next/link";
import { ListIcon } from "lucide-react";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { asMember, requirePermission } from "@/lib/auth/session";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { BOARD_CARDS_PER_COLUMN, loadBoard } from "@/modules/crm/deals";
import { boardFiltersSchema, BoardToolbar, KanbanBoard, NewDealButton, NewPersonDealButton } from "@/modules/crm/deals/ui";
import { listMemberOptions } from "@/modules/crm/lists";
import { canUseStage, getPipelineOrDefault, listPipelines, stageRestrictionWords } from "@/modules/crm/pipelines";
import { inSentence, nounsOf } from "@/modules/crm/pipelines/ui";
import { listTeamOptions, myTeamIds } from "@/modules/teams";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The tab says what the board's pipeline calls its deals: "Cases", "Intended parents". */
export async function generateMetadata(props: { searchParams: SearchParams }): Promise<Metadata> {
  const session = await requirePermission("records.work");
  const raw = (await props.searchParams).pipeline;
  const id = boardFiltersSchema.shape.pipeline.safeParse(Array.isArray(raw) ? raw[0] : raw || undefined);
  const pipeline = await asMember(session, (tx) => getPipelineOrDefault(tx, id.success ? id.data : undefined));
  return { title: nounsOf(pipeline).plural };
}

export default async function DealsBoardPage(props: { searchParams: SearchParams }) {
  const session = await requirePermission("records.work");
  const raw = await props.searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const filters = boardFiltersSchema.parse({
    pipeline: one(raw.pipeline),
    owner: one(raw.owner),
    tag: one(raw.tag),
    q: one(raw.q),
    limit: one(raw.limit),
  });
  const perColumn = filters.limit ?? BOARD_CARDS_PER_COLUMN;

  const data = await asMember(session, async (tx) => {
    const pipeline = await getPipelineOrDefault(tx, filters.pipeline);
    if (!pipeline) return null;
    const [board, pipelines, members, org, customDefs, teams, teamIds] = await Promise.all([
      loadBoard(tx, pipeline.id, filters, { userId: session.user.id, perColumn }),
      listPipelines(tx),
      listMemberOptions(tx),
      tx.selectFrom("orgs").select("default_currency").executeTakeFirst(),
      listCustomFieldDefs(tx, "deal"),
      listTeamOptions(tx),
      myTeamIds(tx),
    ]);
    return { pipeline, board, pipelines, members, currency: org?.default_currency?.trim() || "USD", customDefs, teams, teamIds };
  });

  if (!data) {
    return (
      <div>
        <PageHeader title="Deals" />
        <p className="text-sm text-muted-foreground">There is no pipeline yet. An admin can add one under Settings → Pipelines.</p>
      </div>
    );
  }
  const { pipeline, board } = data;
  const nouns = nounsOf(pipeline);
  const formPipelines = data.pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    nouns: nounsOf(p),
    stages: p.stages.map((s) => ({ id: s.id, name: s.name })),
  }));
  const switchable = data.pipelines.some((p) => p.id === pipeline.id)
    ? data.pipelines
    : [...data.pipelines, { ...pipeline, name: `${pipeline.name} (archived)` }];

  return (
    <div className="flex min-w-0 flex-col">
      <PageHeader
        title={nouns.plural}
        description={nouns.plural === pipeline.name ? `Every ${inSentence(nouns.singular)}, stage by stage` : `${pipeline.name} pipeline`}
        actions={
          <div className="flex gap-2">
            <Button variant="outline" asChild>
              <Link href="/deals/list">
                <ListIcon aria-hidden />
                List view
              </Link>
            </Button>
            {/* A pipeline whose deals are each about one person creates them with their person; one "New case" button, not two. */}
            {pipeline.personRequired ? (
              <NewPersonDealButton pipeline={pipeline} noun={nouns.singular} members={data.members} currentUserId={session.user.id} />
            ) : (
              <NewDealButton
                pipelines={formPipelines}
                pipelineId={pipeline.id}
                members={data.members}
                currentUserId={session.user.id}
                defaultCurrency={data.currency}
                customDefs={data.customDefs}
              />
            )}
          </div>
        }
      />
      <BoardToolbar pipelines={switchable.map((p) => ({ id: p.id, name: p.name }))} pipelineId={pipeline.id} members={data.members} noun={nouns.singular} />
      <KanbanBoard
        pipelineId={pipeline.id}
        stages={pipeline.stages.map((s) => ({
          id: s.id,
          name: s.name,
          probability: s.probability,
          isWon: s.isWon,
          isLost: s.isLost,
          restrictedTo: stageRestrictionWords(s, data.teams),
          allowed: canUseStage(session.role, data.teamIds, s),
        }))}
        cards={board.cards}
        totals={board.totals}
        version={board.version}
        members={data.members}
        currency={data.currency}
        filters={{ owner: filters.owner, tag: filters.tag, q: filters.q }}
        nouns={{ singular: inSentence(nouns.singular), plural: inSentence(nouns.plural) }}
      />
    </div>
  );
}
