import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { companyPeople, getCompany, relatedDeals } from "@/modules/crm/companies";
import { archiveCompaniesAction, deleteCompaniesAction, editCompanyCell, EditCompanyButton, restoreCompaniesAction } from "@/modules/crm/companies/ui";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { UUID_RE } from "@/modules/crm/lists/ui";
import { customProperties, DealList, editable, ExternalLink, formatDay, formatPhone, MailLink, PhoneLink, RecordHeader, sharedProperties } from "@/modules/crm/records";
import { OwnerPicker, RecordActions, RecordProperties } from "@/modules/crm/records/ui";
import { activityFromParam, RecordTimeline } from "@/modules/crm/timeline";
import { listMembers } from "@/modules/orgs";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ activity?: string | string[] }> };

async function load(id: string) {
  if (!UUID_RE.test(id)) notFound();
  const session = await requireSession();
  const company = await asMember(session, (tx) => getCompany(tx, id));
  if (!company) notFound();
  return { session, company };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { company } = await load((await props.params).id);
  return { title: company.name };
}

export default async function CompanyPage(props: Props) {
  const { id } = await props.params;
  const activity = activityFromParam((await props.searchParams).activity);
  const { session, company } = await load(id);
  const [defs, people, deals, members] = await Promise.all([
    asMember(session, (tx) => listCustomFieldDefs(tx, "company")),
    asMember(session, (tx) => companyPeople(tx, id)),
    asMember(session, (tx) => relatedDeals(tx, { companyId: id })),
    listMembers(session),
  ]);
  const memberOptions = members.map((m) => ({ id: m.user_id, name: m.full_name || m.email }));
  const mayArchive = can(session.role, "records.archive");
  const shared = sharedProperties(company);

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <RecordHeader
        noun={{ one: "company", many: "companies" }}
        listHref="/companies"
        name={company.name}
        about={[company.industry, company.domain].filter(Boolean).join(" · ") || null}
        owner={<OwnerPicker recordId={id} ownerId={company.owner_id} members={memberOptions} action={editCompanyCell} />}
        contact={{ email: company.email, phone: company.phone }}
        tags={company.tags}
        archivedAt={company.archived_at}
        restore={
          mayArchive ? <RecordActions id={id} name={company.name} noun="company" archived listPath="/companies" restore={restoreCompaniesAction} /> : null
        }
        actions={
          <>
            <EditCompanyButton company={company} defs={defs} members={memberOptions} me={session.user.id} />
            <RecordActions
              id={id}
              name={company.name}
              noun="company"
              archived={!!company.archived_at}
              listPath="/companies"
              archive={mayArchive ? archiveCompaniesAction : undefined}
              remove={can(session.role, "records.delete") ? deleteCompaniesAction : undefined}
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
                recordTitle={company.name}
                action={editCompanyCell}
                members={memberOptions}
                items={[
                  editable("name", "Name", company.name),
                  editable("domain", "Domain", company.domain),
                  editable("industry", "Industry", company.industry),
                  editable("website", "Website", company.website, { type: "url", display: company.website ? <ExternalLink href={company.website} /> : null }),
                  editable("email", "Email", company.email, { type: "email", display: company.email ? <MailLink email={company.email} /> : null }),
                  editable("phone", "Phone", company.phone, { type: "phone", display: company.phone ? <PhoneLink phone={company.phone} /> : null }),
                  editable("employee_count", "Employees", company.employee_count?.toString() ?? null, {
                    type: "number",
                    display: company.employee_count?.toLocaleString("en-US"),
                  }),
                  editable("linkedin_url", "LinkedIn", company.linkedin_url, {
                    type: "url",
                    display: company.linkedin_url ? <ExternalLink href={company.linkedin_url} /> : null,
                  }),
                  ...shared.address,
                  shared.tags,
                  shared.lastContacted,
                  ...customProperties(defs, company.custom),
                  { label: "Created", display: formatDay(company.created_at) },
                ]}
              />
              {company.description ? <p className="text-sm whitespace-pre-wrap">{company.description}</p> : null}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>People ({company.people_count})</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              {people.length ? (
                <ul className="grid gap-2 text-sm">
                  {people.map((p) => (
                    <li key={p.id} className="grid">
                      <Link href={`/people/${p.id}`} className="font-medium underline-offset-4 hover:underline">
                        {p.full_name || p.email}
                      </Link>
                      <span className="text-muted-foreground">
                        {[p.title, p.email, p.phone ? formatPhone(p.phone) : null].filter(Boolean).join(" · ")}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-muted-foreground">No people at this company yet.</p>
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
          <RecordTimeline subject={{ type: "company", id }} activity={activity} />
        </div>
      </div>
    </div>
  );
}
