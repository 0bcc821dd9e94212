import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RecordList } from "@/components/data-table/record-list";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { builtInCompanyFields, listCompanies } from "@/modules/crm/companies";
import {
  archiveCompaniesAction,
  assignCompaniesAction,
  deleteCompaniesAction,
  editCompanyCell,
  NewCompanyButton,
  restoreCompaniesAction,
  tagCompaniesAction,
} from "@/modules/crm/companies/ui";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { isListQueryError, listMemberOptions, listViews, viewLinkHref } from "@/modules/crm/lists";
import { parseListState, toClientFields } from "@/modules/crm/lists/ui";

export const metadata: Metadata = { title: "Companies" };

export default async function CompaniesPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession();
  const timeZone = await getTimeZone();
  const params = await props.searchParams;
  const parsed = parseListState(params);
  const linked = await viewLinkHref(session, "company", parsed.state, params, "/companies");
  if (linked) redirect(linked);
  let state = parsed.state;
  let stateError = parsed.ok ? undefined : parsed.error;

  // One transaction: the field definitions, the member choices and saved views, then the page.
  const load = (s: typeof state) =>
    asMember(session, async (tx) => {
      const [defs, members, views] = await Promise.all([
        listCustomFieldDefs(tx, "company"),
        listMemberOptions(tx),
        listViews(session, "company", tx),
      ]);
      const fields = [...builtInCompanyFields(), ...customFieldListFields(defs, "c")];
      const page = await listCompanies(tx, s, { fields, userId: session.user.id, timeZone });
      return { fields, defs, members, views, page };
    });
  const { fields, defs, members: memberOptions, views, page } = await load(state).catch((e: unknown) => {
    if (!isListQueryError(e)) throw e;
    // Show the list without the parts the URL got wrong, and say what they were.
    stateError = e.message;
    state = { ...state, filters: [], sort: { field: "created_at", dir: "desc" }, after: undefined };
    return load(state);
  });
  const me = session.user.id;

  return (
    <div className="grid min-w-0 grid-cols-1 gap-2">
      <PageHeader
        title="Companies"
        description="The organizations you do business with."
        actions={<NewCompanyButton defs={defs} members={memberOptions} me={me} />}
      />
      <RecordList
        objectType="company"
        fields={toClientFields(fields)}
        rows={page.rows}
        nextCursor={page.nextCursor}
        total={page.total}
        state={state}
        basePath="/companies"
        detailBasePath="/companies"
        views={views}
        members={memberOptions}
        bulk={{
          assign: can(session.role, "records.assign") ? assignCompaniesAction : undefined,
          tag: tagCompaniesAction,
          archive: can(session.role, "records.archive") ? archiveCompaniesAction : undefined,
          restore: can(session.role, "records.archive") ? restoreCompaniesAction : undefined,
          delete: can(session.role, "records.delete") ? deleteCompaniesAction : undefined,
        }}
        inlineEdit={editCompanyCell}
        canDelete={can(session.role, "records.delete")}
        canExport={can(session.role, "records.export")}
        stateError={stateError}
        emptyState={
          <div className="grid justify-items-center gap-3 py-10 text-center">
            <p className="text-lg font-medium">No companies yet</p>
            <p className="max-w-sm text-sm text-muted-foreground">
              Add the companies you sell to, or bring them in from a spreadsheet with Import.
            </p>
            <NewCompanyButton defs={defs} members={memberOptions} me={me} />
          </div>
        }
      />
    </div>
  );
}
