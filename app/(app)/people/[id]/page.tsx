import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { CallButton, LogCallDialog } from "@/modules/calls/ui";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { UUID_RE } from "@/modules/crm/lists/ui";
import { getPerson, personDeals } from "@/modules/crm/people";
import { archivePeopleAction, deletePeopleAction, editPersonCell, EditPersonButton, restorePeopleAction } from "@/modules/crm/people/ui";
import { customProperties, DealList, editable, ExternalLink, formatDay, MailLink, PhoneLink, RecordHeader, sharedProperties } from "@/modules/crm/records";
import { OwnerPicker, RecordActions, RecordProperties } from "@/modules/crm/records/ui";
import { activityFromParam, RecordTimeline } from "@/modules/crm/timeline";
import { listMembers } from "@/modules/orgs";
import { SmsDrawer } from "@/modules/sms/ui";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ activity?: string | string[] }> };

async function load(id: string) {
  if (!UUID_RE.test(id)) notFound();
  const session = await requireSession();
  const person = await asMember(session, (tx) => getPerson(tx, id));
  if (!person) notFound();
  return { session, person };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { person } = await load((await props.params).id);
  return { title: person.full_name || "Person" };
}

export default async function PersonPage(props: Props) {
  const { id } = await props.params;
  const activity = activityFromParam((await props.searchParams).activity);
  const { session, person } = await load(id);
  const [defs, deals, members] = await Promise.all([
    asMember(session, (tx) => listCustomFieldDefs(tx, "person")),
    asMember(session, (tx) => personDeals(tx, id)),
    listMembers(session),
  ]);
  const memberOptions = members.map((m) => ({ id: m.user_id, name: m.full_name || m.email }));
  const name = person.full_name || "Unnamed person";
  const mayArchive = can(session.role, "records.archive");
  const shared = sharedProperties(person);

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <RecordHeader
        noun={{ one: "person", many: "people" }}
        listHref="/people"
        name={name}
        about={
          <>
            {person.title}
            {person.title && person.company_id ? " at " : null}
            {person.company_id ? (
              <Link href={`/companies/${person.company_id}`} className="font-medium text-foreground underline-offset-4 hover:underline">
                {person.company_name}
              </Link>
            ) : null}
          </>
        }
        owner={<OwnerPicker recordId={id} ownerId={person.owner_id} members={memberOptions} action={editPersonCell} />}
        contact={{ email: person.email, phone: person.phone }}
        call={<CallButton record={{ type: "person", id }} name={name} />}
        tags={person.tags}
        archivedAt={person.archived_at}
        restore={mayArchive ? <RecordActions id={id} name={name} noun="person" archived listPath="/people" restore={restorePeopleAction} /> : null}
        actions={
          <>
            <SmsDrawer record={{ type: "person", id }} />
            <LogCallDialog record={{ type: "person", id }} />
            <EditPersonButton person={person} defs={defs} members={memberOptions} me={session.user.id} />
            <RecordActions
              id={id}
              name={name}
              noun="person"
              archived={!!person.archived_at}
              listPath="/people"
              archive={mayArchive ? archivePeopleAction : undefined}
              remove={can(session.role, "records.delete") ? deletePeopleAction : undefined}
            />
          </>
        }
      />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="grid content-start gap-6">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Details</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <RecordProperties
                recordId={id}
                recordTitle={name}
                action={editPersonCell}
                members={memberOptions}
                items={[
                  editable("first_name", "First name", person.first_name),
                  editable("last_name", "Last name", person.last_name),
                  editable("title", "Title", person.title),
                  editable("email", "Email", person.email, { type: "email", display: person.email ? <MailLink email={person.email} /> : null }),
                  {
                    label: "Other emails",
                    display: person.additional_emails.length ? (
                      <span className="grid">{person.additional_emails.map((e) => <MailLink key={e} email={e} />)}</span>
                    ) : null,
                  },
                  editable("phone", "Phone", person.phone, {
                    type: "phone",
                    display: person.phone ? (
                      <span className="inline-flex items-center gap-1 whitespace-nowrap">
                        <PhoneLink phone={person.phone} />
                        <CallButton icon record={{ type: "person", id }} number={person.phone} name={name} />
                      </span>
                    ) : null,
                  }),
                  {
                    label: "Other phones",
                    display: person.additional_phones.length ? (
                      <span className="grid">
                        {person.additional_phones.map((p) => (
                          <span key={p} className="inline-flex items-center gap-1">
                            <PhoneLink phone={p} />
                            <CallButton icon record={{ type: "person", id }} number={p} name={name} />
                          </span>
                        ))}
                      </span>
                    ) : null,
                  },
                  editable("linkedin_url", "LinkedIn", person.linkedin_url, {
                    type: "url",
                    display: person.linkedin_url ? <ExternalLink href={person.linkedin_url} /> : null,
                  }),
                  editable("website", "Website", person.website, { type: "url", display: person.website ? <ExternalLink href={person.website} /> : null }),
                  ...shared.address,
                  shared.tags,
                  editable("source", "Source", person.source),
                  shared.lastContacted,
                  ...customProperties(defs, person.custom),
                  { label: "Created", display: formatDay(person.created_at) },
                ]}
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Company</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              {person.company_id ? (
                <Link href={`/companies/${person.company_id}`} className="text-sm font-medium underline-offset-4 hover:underline">
                  {person.company_name}
                </Link>
              ) : (
                <p className="text-sm text-muted-foreground">Not linked to a company.</p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Deals ({deals.length})</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <DealList deals={deals} />
            </CardContent>
          </Card>
        </div>
        {/* On a phone the tasks and the note composer come first, before the details. */}
        <div className="max-lg:order-first">
          <RecordTimeline subject={{ type: "person", id }} activity={activity} />
        </div>
      </div>
    </div>
  );
}
