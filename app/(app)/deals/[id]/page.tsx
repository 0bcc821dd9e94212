import { DEFAULT_NOUNS, nounsOf } from "@/modules/crm/pipelines/ui";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { DealDatesPanel } from "@/modules/crm/dates";
import { getDealHandoffState } from "@/modules/crm/handoffs";
import { DealHandoffPanel } from "@/modules/crm/handoffs/ui";
import { getDeal, getStageHistory } from "@/modules/crm/deals";
import { DealNumber, DealPriorityToggle, DealRecordActions, DealStatusButtons, EditDealButton, editDealCellAction, StageProgress } from "@/modules/crm/deals/ui";
import { listMemberOptions } from "@/modules/crm/lists";
import { UUID_RE } from "@/modules/crm/lists/ui";
import { canUseStage, listPipelines } from "@/modules/crm/pipelines";
import { myTeamIds } from "@/modules/teams";
import { customProperties, editable, formatDay } from "@/modules/crm/records";
import { OwnerPicker, RecordProperties } from "@/modules/crm/records/ui";
import { activityFromParam, RecordTimeline } from "@/modules/crm/timeline";
import { formatMoney, minorToDecimal } from "@/modules/crm/values/ui";
import { CallButton } from "@/modules/calls/ui";
import { DealLeadSources } from "@/modules/leads";
import { MatchesPanel } from "@/modules/matching";
import { SmsDrawer } from "@/modules/sms/ui";

/** The tab names the deal and what its pipeline calls it: "Jessica Alvarez · Case". */
export async function generateMetadata(props: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const session = await requirePermission("records.work");
  const { id } = await props.params;
  if (!UUID_RE.test(id)) return { title: DEFAULT_NOUNS.singular };
  const row = await asMember(session, (tx) =>
    tx
      .selectFrom("deals")
      .innerJoin("pipelines", "pipelines.id", "deals.pipeline_id")
      .select(["deals.name", "pipelines.noun_singular as nounSingular", "pipelines.noun_plural as nounPlural"])
      .where("deals.id", "=", id)
      .executeTakeFirst(),
  );
  const noun = nounsOf(row).singular;
  return { title: row ? `${row.name} · ${noun}` : noun };
}

const STATUS_LABEL = { open: "Open", won: "Won", lost: "Lost" } as const;

export default async function DealPage(props: { params: Promise<{ id: string }>; searchParams: Promise<{ activity?: string | string[] }> }) {
  const session = await requirePermission("records.work");
  const { id } = await props.params;
  const activity = activityFromParam((await props.searchParams).activity);
  if (!UUID_RE.test(id)) notFound();
  const data = await asMember(session, async (tx) => {
    const deal = await getDeal(tx, id);
    if (!deal) return null;
    const [history, pipelines, members, org, customDefs, teamIds, handoff] = await Promise.all([
      getStageHistory(tx, id),
      listPipelines(tx, { includeArchived: true }),
      listMemberOptions(tx),
      tx.selectFrom("orgs").select("default_currency").executeTakeFirst(),
      listCustomFieldDefs(tx, "deal"),
      myTeamIds(tx),
      getDealHandoffState(tx, id),
    ]);
    return { deal, history, pipelines, members, currency: org?.default_currency?.trim() || "USD", customDefs, teamIds, handoff };
  });
  if (!data) notFound();
  const timeZone = await getTimeZone();
  const { deal, history } = data;
  // A locked stage the viewer may not use: the database refuses their changes, so the page offers none.
  const readOnly = !!data.handoff?.lockedFor;
  const pipeline = data.pipelines.find((p) => p.id === deal.pipelineId)!;
  const stage = pipeline.stages.find((s) => s.id === deal.stageId);
  const nouns = nounsOf(pipeline);
  const formPipelines = data.pipelines
    .filter((p) => !p.archivedAt || p.id === deal.pipelineId)
    .map((p) => ({ id: p.id, name: p.name, stages: p.stages.map((s) => ({ id: s.id, name: s.name })) }));

  return (
    <div className="grid gap-6">
      <div className="grid gap-4">
        <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
          <Link href={`/deals?pipeline=${pipeline.id}`} className="hover:underline">
            {nouns.plural}
          </Link>
          {pipeline.name !== nouns.plural ? (
            <>
              <span aria-hidden> / </span>
              <span>{pipeline.name}</span>
            </>
          ) : null}
        </nav>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="grid gap-1">
            <h1 className="flex flex-wrap items-baseline gap-x-3 text-2xl font-semibold tracking-tight"><DealNumber number={deal.number} />{deal.name}</h1>
            <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
              <span className="text-lg font-semibold text-foreground tabular-nums" data-testid="deal-value">
                {formatMoney(deal.valueMinor, deal.currency)}
              </span>
              <Badge variant={deal.status === "won" ? "default" : deal.status === "lost" ? "destructive" : "secondary"}>
                {STATUS_LABEL[deal.status]}
              </Badge>
              {deal.archivedAt ? <Badge variant="outline">Archived</Badge> : null}
              <span>in {stage?.name ?? "an unknown stage"}</span>
              {deal.company ? (
                <span>
                  · <Link className="underline-offset-4 hover:underline" href={`/companies/${deal.company.id}`}>{deal.company.name}</Link>
                </span>
              ) : null}
              {deal.person ? (
                <span>
                  · <Link className="underline-offset-4 hover:underline" href={`/people/${deal.person.id}`}>{deal.person.name}</Link>
                </span>
              ) : null}
            </p>
            <div>
              {readOnly ? (
                <span className="text-sm text-muted-foreground">Owner: {data.members.find((m) => m.id === deal.ownerId)?.name ?? "nobody"}</span>
              ) : (
                <OwnerPicker recordId={deal.id} ownerId={deal.ownerId} members={data.members} action={editDealCellAction} />
              )}
            </div>
            {deal.status === "lost" && deal.lostReason ? <p className="text-sm">Lost reason: {deal.lostReason}</p> : null}
          </div>
          <div className="flex flex-wrap gap-2">
            {readOnly ? null : <DealPriorityToggle dealId={deal.id} priority={deal.priority} />}
            {readOnly ? null : <DealStatusButtons dealId={deal.id} status={deal.status} />}
            {deal.person ? <CallButton record={{ type: "deal", id: deal.id }} name={deal.person.name} /> : null}
            {deal.person ? <SmsDrawer record={{ type: "deal", id: deal.id }} /> : null}
            {readOnly ? null : <>
            <EditDealButton
              dealId={deal.id}
              defaultCurrency={data.currency}
              pipelines={formPipelines}
              members={data.members}
              customDefs={data.customDefs}
              initial={{
                name: deal.name,
                pipelineId: deal.pipelineId,
                stageId: deal.stageId,
                value: minorToDecimal(deal.valueMinor, deal.currency),
                currency: deal.currency,
                ownerId: deal.ownerId ?? "",
                company: deal.company,
                person: deal.person,
                expectedCloseDate: deal.expectedCloseDate ?? "",
                tags: deal.tags.join(", "),
                custom: deal.custom,
              }}
            />
            <DealRecordActions
              dealId={deal.id}
              archived={!!deal.archivedAt}
              canArchive={can(session.role, "records.archive")}
              canDelete={can(session.role, "records.delete")}
            />
            </>}
          </div>
        </div>
        <StageProgress
          dealId={deal.id}
          stageId={deal.stageId}
          stages={pipeline.stages.map((s) => ({ id: s.id, name: s.name, isWon: s.isWon, isLost: s.isLost, allowed: !readOnly && canUseStage(session.role, data.teamIds, s) }))}
        />
        {data.handoff ? <DealHandoffPanel dealId={deal.id} dealName={deal.name} state={data.handoff} /> : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="grid content-start gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Details</CardTitle>
            </CardHeader>
            <CardContent>
              <RecordProperties
                recordId={deal.id}
                recordTitle={deal.name}
                action={editDealCellAction}
                members={data.members}
                items={[
                  editable("name", "Name", deal.name),
                  editable("value", "Value", minorToDecimal(deal.valueMinor, deal.currency), { display: formatMoney(deal.valueMinor, deal.currency) }),
                  { label: "Pipeline", display: pipeline.name },
                  {
                    label: "Company",
                    display: deal.company ? (
                      <Link className="underline-offset-4 hover:underline" href={`/companies/${deal.company.id}`}>
                        {deal.company.name}
                      </Link>
                    ) : null,
                  },
                  {
                    label: "Person",
                    display: deal.person ? (
                      <Link className="underline-offset-4 hover:underline" href={`/people/${deal.person.id}`}>
                        {deal.person.name}
                      </Link>
                    ) : null,
                  },
                  editable("expected_close_date", "Expected close", deal.expectedCloseDate, { type: "date", display: formatDay(deal.expectedCloseDate) }),
                  editable("tags", "Tags", deal.tags.join(", ") || null),
                  ...customProperties(data.customDefs, deal.custom),
                  { label: "Created", display: formatDay(deal.createdAt) },
                ].map((p) => (readOnly ? { ...p, field: undefined } : p))}
              />
            </CardContent>
          </Card>
          <DealDatesPanel dealId={deal.id} canEdit={!readOnly} />
          <DealLeadSources session={session} dealId={deal.id} timeZone={timeZone} />
          <MatchesPanel dealId={deal.id} pipelineId={deal.pipelineId} open={deal.status === "open" && !deal.archivedAt} />
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Stage history</CardTitle>
            </CardHeader>
            <CardContent>
              <ol className="grid gap-3 text-sm" aria-label="Stage history">
                {history.map((h) => (
                  <li key={h.id} className="grid gap-0.5 border-l-2 pl-3">
                    <span>
                      {h.fromStage || h.fromStatus ? (
                        <>
                          {h.fromStage ?? "—"} → <strong>{h.toStage ?? "a deleted stage"}</strong>
                        </>
                      ) : (
                        <>
                          Created in <strong>{h.toStage ?? "a deleted stage"}</strong>
                        </>
                      )}
                      {h.fromStatus && h.fromStatus !== h.toStatus ? (
                        <span className="text-muted-foreground">
                          {" "}
                          ({STATUS_LABEL[h.fromStatus as keyof typeof STATUS_LABEL]} → {STATUS_LABEL[h.toStatus as keyof typeof STATUS_LABEL]})
                        </span>
                      ) : null}
                    </span>
                    <span className="text-xs text-muted-foreground">
                      {h.by ?? "System"} · <time dateTime={h.at.toISOString()}>{formatDateTime(h.at, timeZone)}</time>
                    </span>
                    {h.reason ? <span className="text-xs">“{h.reason}”</span> : null}
                  </li>
                ))}
              </ol>
            </CardContent>
          </Card>
        </div>
        {/* On a phone the tasks and the note composer come first, before the details. */}
        <div className="max-lg:order-first">
          <RecordTimeline subject={{ type: "deal", id: deal.id }} activity={activity} />
        </div>
      </div>
    </div>
  );
}
