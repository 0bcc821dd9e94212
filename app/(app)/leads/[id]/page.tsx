import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { SmsDrawer } from "@/modules/sms/ui";
import { getTimeZone } from "@/lib/auth/time-zone";
import { CallButton, LogCallDialog } from "@/modules/calls/ui";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { UUID_RE } from "@/modules/crm/lists/ui";
import { listPipelines } from "@/modules/crm/pipelines";
import { customProperties, editable, formatDay, MailLink, PhoneLink, RecordHeader } from "@/modules/crm/records";
import { OwnerPicker, RecordActions, RecordProperties } from "@/modules/crm/records/ui";
import { activityFromParam, RecordTimeline } from "@/modules/crm/timeline";
import { getLead, leadStatusHistory, listLeadSources, listLeadStatuses, offeredFor } from "@/modules/leads";
import { archiveLeadsAction, ConvertLeadButton, deleteLeadsAction, editLeadCell, LeadStatusPicker, restoreLeadsAction } from "@/modules/leads/ui";
import { listMembers } from "@/modules/orgs";
import { LeadRouting, leadRoutingHistory, listDeliveries } from "@/modules/routing";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ activity?: string | string[] }> };

async function load(id: string) {
  if (!UUID_RE.test(id)) notFound();
  const session = await requireSession();
  const lead = await asMember(session, (tx) => getLead(tx, id));
  if (!lead) notFound();
  return { session, lead };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { lead } = await load((await props.params).id);
  return { title: lead.name };
}

const UTM_LABELS: Record<string, string> = { source: "Source", medium: "Medium", campaign: "Campaign", term: "Term", content: "Content" };
const AD_LABELS: Record<string, string> = { campaign_id: "Campaign", adgroup_id: "Ad set", ad_id: "Ad", form_id: "Form", page_id: "Page" };

function Facts(props: { labels: Record<string, string>; values: Record<string, string>; empty: string }) {
  const shown = Object.keys(props.labels).filter((k) => props.values[k]);
  if (!shown.length) return <p className="text-sm text-muted-foreground">{props.empty}</p>;
  return (
    <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-sm">
      {shown.map((k) => (
        <div key={k} className="contents">
          <dt className="text-muted-foreground">{props.labels[k]}</dt>
          <dd className="break-all">{props.values[k]}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function LeadPage(props: Props) {
  const { id } = await props.params;
  const activity = activityFromParam((await props.searchParams).activity);
  const { session, lead } = await load(id);
  const [[defs, sources, statuses, history, pipelines, routing, offers], members, zone] = await Promise.all([
    asMember(session, (tx) =>
      Promise.all([
        listCustomFieldDefs(tx, "lead"),
        listLeadSources(tx, { includeArchived: true }),
        listLeadStatuses(tx, { includeArchived: true }),
        leadStatusHistory(tx, id),
        listPipelines(tx),
        leadRoutingHistory(tx, id),
        listDeliveries(tx, { leadId: id }),
      ]),
    ),
    listMembers(session),
    getTimeZone(),
  ]);
  const memberOptions = members.map((m) => ({ id: m.user_id, name: m.full_name || m.email }));
  const mayArchive = can(session.role, "records.archive");
  const sourceOptions = offeredFor(sources, lead.source).map((s) => ({ value: s.key, label: s.label }));
  const convertPipelines = pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    stages: p.stages.filter((s) => !s.isWon && !s.isLost).map((s) => ({ id: s.id, name: s.name })),
  }));

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <RecordHeader
        noun={{ one: "lead", many: "leads" }}
        listHref="/leads"
        name={lead.name}
        about={
          <span className="inline-flex flex-wrap items-center gap-2">
            <Badge variant="outline" data-source={lead.source}>
              {lead.sourceLabel}
            </Badge>
            {lead.companyName ? <span>{lead.companyName}</span> : null}
            <span>Arrived {formatDay(lead.createdAt)}</span>
          </span>
        }
        owner={
          <span className="flex flex-wrap items-center gap-x-4">
            <LeadStatusPicker leadId={id} status={lead.status} statuses={offeredFor(statuses, lead.status)} action={editLeadCell} />
            <OwnerPicker recordId={id} ownerId={lead.ownerId} members={memberOptions} action={editLeadCell} />
          </span>
        }
        contact={{ email: lead.email, phone: lead.phone }}
        call={<CallButton record={{ type: "lead", id }} name={lead.name} />}
        tags={[]}
        archivedAt={lead.archivedAt}
        restore={mayArchive ? <RecordActions id={id} name={lead.name} noun="lead" archived listPath="/leads" restore={restoreLeadsAction} /> : null}
        actions={
          <>
            <SmsDrawer record={{ type: "lead", id }} />
            <LogCallDialog record={{ type: "lead", id }} />
            {lead.convertedAt || lead.archivedAt ? null : (
              <ConvertLeadButton leadId={id} leadName={lead.name} person={lead.person} companyName={lead.companyName} pipelines={convertPipelines} />
            )}
            <RecordActions
              id={id}
              name={lead.name}
              noun="lead"
              archived={!!lead.archivedAt}
              listPath="/leads"
              archive={mayArchive ? archiveLeadsAction : undefined}
              remove={can(session.role, "records.delete") ? deleteLeadsAction : undefined}
            />
          </>
        }
      />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="grid content-start gap-6">
          {lead.convertedAt ? (
            <Card role="region" aria-labelledby="converted-heading">
              <CardHeader>
                <CardTitle>
                  <h2 id="converted-heading">Converted</h2>
                </CardTitle>
              </CardHeader>
              <CardContent className="grid gap-1.5 text-sm">
                <p className="text-muted-foreground">On {formatDay(lead.convertedAt)}</p>
                {[
                  ["Person", lead.person, "/people"],
                  ["Company", lead.company, "/companies"],
                  ["Deal", lead.deal, "/deals"],
                ].map(([label, record, path]) =>
                  record && typeof record === "object" ? (
                    <p key={label as string}>
                      <span className="text-muted-foreground">{label as string}: </span>
                      <Link href={`${path}/${record.id}`} className="font-medium underline-offset-4 hover:underline">
                        {record.name}
                      </Link>
                    </p>
                  ) : null,
                )}
              </CardContent>
            </Card>
          ) : lead.person ? (
            <Card>
              <CardHeader>
                <CardTitle>
                  <h2>Person</h2>
                </CardTitle>
              </CardHeader>
              <CardContent className="text-sm">
                <span className="text-muted-foreground">Already in your contacts as </span>
                <Link href={`/people/${lead.person.id}`} className="font-medium underline-offset-4 hover:underline">
                  {lead.person.name}
                </Link>
              </CardContent>
            </Card>
          ) : null}
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Details</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <RecordProperties
                recordId={id}
                recordTitle={lead.name}
                action={editLeadCell}
                members={memberOptions}
                items={[
                  editable("first_name", "First name", lead.firstName),
                  editable("last_name", "Last name", lead.lastName),
                  editable("email", "Email", lead.email, { type: "email", display: lead.email ? <MailLink email={lead.email} /> : null }),
                  editable("phone", "Phone", lead.phone, {
                    type: "phone",
                    display: lead.phone ? (
                      <span className="inline-flex items-center gap-1 whitespace-nowrap">
                        <PhoneLink phone={lead.phone} />
                        <CallButton icon record={{ type: "lead", id }} number={lead.phone} name={lead.name} />
                      </span>
                    ) : null,
                  }),
                  editable("company_name", "Company", lead.companyName),
                  editable("state", "State", lead.state),
                  editable("source", "Source", lead.source, { type: "select", options: sourceOptions, display: lead.sourceLabel }),
                  editable("message", "Message", lead.message, { display: lead.message ? <span className="whitespace-pre-wrap">{lead.message}</span> : null }),
                  ...customProperties(defs, lead.custom),
                  { label: "Last contacted", display: formatDay(lead.lastContactedAt) },
                  { label: "Created", display: formatDay(lead.createdAt) },
                ]}
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Attribution</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Facts labels={UTM_LABELS} values={lead.utm} empty="No UTM parameters." />
              <Facts labels={AD_LABELS} values={lead.attribution} empty="No ad, campaign or form ids." />
              {lead.externalId ? (
                <p className="text-xs text-muted-foreground">
                  {lead.sourceLabel} id <span className="font-mono">{lead.externalId}</span>
                </p>
              ) : null}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Status history</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <ol className="grid gap-1.5 text-sm" aria-label="Status history">
                {history.map((h, i) => (
                  <li key={i} className="flex flex-wrap gap-x-1.5">
                    <span className="font-medium">{h.toLabel}</span>
                    {h.fromLabel ? <span className="text-muted-foreground">from {h.fromLabel}</span> : null}
                    <span className="text-muted-foreground">
                      · {formatDay(h.changedAt)}
                      {h.changedBy ? ` by ${h.changedBy}` : ""}
                    </span>
                  </li>
                ))}
              </ol>
            </CardContent>
          </Card>
          <Card>
            <CardContent>
              <LeadRouting leadId={id} history={routing} deliveries={offers} zone={zone} canRoute={can(session.role, "records.assign") && !lead.convertedAt && !lead.archivedAt} />
            </CardContent>
          </Card>
        </div>
        <div className="max-lg:order-first">
          <RecordTimeline subject={{ type: "lead", id }} activity={activity} />
        </div>
      </div>
    </div>
  );
}
