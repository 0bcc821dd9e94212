import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RecordList } from "@/components/data-table/record-list";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/permissions";
import { getVerifiedClaims, requireSession } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { database } from "@/lib/db";
import { currentLog } from "@/lib/log";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { isListQueryError, listMemberOptions, listViews, viewLinkHref } from "@/modules/crm/lists";
import { filtersOnDays, type ListState, parseListState, rowsForColumns, toClientFields } from "@/modules/crm/lists/ui";
import { builtInLeadFields, countLeads, listLeads, listLeadSources, listLeadStatuses } from "@/modules/leads";
import {
  archiveLeadsAction,
  assignLeadsAction,
  deleteLeadsAction,
  editLeadCell,
  NewLeadButton,
  restoreLeadsAction,
  setLeadStatusAction,
} from "@/modules/leads/ui";

export const metadata: Metadata = { title: "Leads" };

export default async function LeadsPage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const claims = await getVerifiedClaims();
  const sessionRead = requireSession();
  const zoneOf = async (s: ListState) => (filtersOnDays(s) ? getTimeZone() : undefined);
  if (!claims?.sub) {
    await sessionRead; // redirects to sign-in
    return null;
  }
  const userId = claims.sub;
  const params = await props.searchParams;
  const parsed = parseListState(params);
  const linked = await viewLinkHref(sessionRead, "lead", parsed.state, params, "/leads");
  if (linked) redirect(linked);
  let state = parsed.state;
  let stateError = parsed.ok ? undefined : parsed.error;

  // One transaction reads the fields (the org's sources and statuses are
  // their options), the page, the member choices and the saved views.
  const load = (s: ListState) =>
    database().asUser(claims, async (tx) => {
      const [builtIn, defs, sources, statuses, members, views] = await Promise.all([
        builtInLeadFields(tx),
        listCustomFieldDefs(tx, "lead"),
        listLeadSources(tx),
        listLeadStatuses(tx),
        listMemberOptions(tx),
        listViews(sessionRead, "lead", tx),
      ]);
      const fields = [...builtIn, ...customFieldListFields(defs, "l")];
      const page = await listLeads(tx, s, { userId, timeZone: await zoneOf(s), fields, withTotal: false });
      return { defs, fields, sources, statuses, page, members, views };
    });
  // The count runs beside the page and reaches the list when it is ready.
  const count = (s: ListState): Promise<number | undefined> =>
    database()
      .asUser(claims, async (tx) => countLeads(tx, s, { userId, timeZone: await zoneOf(s) }))
      .catch(async (err: unknown) => {
        if (!isListQueryError(err)) (await currentLog()).error({ err }, "leads count failed");
        return undefined;
      });
  let total = count(state);
  const { defs, fields, sources, statuses, page, members: memberOptions, views } = await load(state).catch((e: unknown) => {
    if (!isListQueryError(e)) throw e;
    stateError = e.message;
    state = { ...state, filters: [], sort: { field: "created_at", dir: "desc" }, after: undefined };
    total = count(state);
    return load(state);
  });
  const session = await sessionRead;
  const me = session.user.id;
  const sourceOptions = sources.map((s) => ({ value: s.key, label: s.label }));
  const newLead = <NewLeadButton defs={defs} sources={sourceOptions} members={memberOptions} me={me} />;

  return (
    <div className="grid min-w-0 grid-cols-1 gap-2">
      <PageHeader title="Leads" description="Everyone who asked: web forms, ads, texts, calls and the ones you add." actions={newLead} />
      <RecordList
        objectType="lead"
        fields={toClientFields(fields)}
        rows={rowsForColumns(page.rows, fields, state.columns)}
        nextCursor={page.nextCursor}
        total={total}
        state={state}
        basePath="/leads"
        detailBasePath="/leads"
        searchPlaceholder="Search name, email, phone or company"
        views={views}
        members={memberOptions}
        bulk={{
          assign: can(session.role, "records.assign") ? assignLeadsAction : undefined,
          choose: { label: "Status", options: statuses.map((s) => ({ value: s.key, label: s.label })), action: setLeadStatusAction },
          archive: can(session.role, "records.archive") ? archiveLeadsAction : undefined,
          restore: can(session.role, "records.archive") ? restoreLeadsAction : undefined,
          delete: can(session.role, "records.delete") ? deleteLeadsAction : undefined,
        }}
        inlineEdit={editLeadCell}
        canDelete={can(session.role, "records.delete")}
        canExport={can(session.role, "records.export")}
        callable
        stateError={stateError}
        emptyState={
          page.rows.length === 0 ? (
            <div className="grid justify-items-center gap-3 py-10 text-center">
              <p className="text-lg font-medium">No leads yet</p>
              <p className="max-w-sm text-sm text-muted-foreground">
                Leads from your web forms, Meta lead ads and texts appear here as they arrive. You can also add one by hand.
              </p>
              {newLead}
            </div>
          ) : undefined
        }
      />
    </div>
  );
}
