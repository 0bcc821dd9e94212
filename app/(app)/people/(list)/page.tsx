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
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { isListQueryError, listMemberOptions, listViews, viewLinkHref } from "@/modules/crm/lists";
import { filtersOnDays, type ListState, parseListState, readsCustomFields, rowsForColumns, toClientFields } from "@/modules/crm/lists/ui";
import { builtInPersonFields, countPeople, listPeople } from "@/modules/crm/people";
import {
  archivePeopleAction,
  assignPeopleAction,
  deletePeopleAction,
  editPersonCell,
  NewPersonButton,
  restorePeopleAction,
  tagPeopleAction,
} from "@/modules/crm/people/ui";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const claims = await getVerifiedClaims();
  // The membership is read beside the list, which needs only the verified claims (RLS scopes it).
  const sessionRead = requireSession();
  // The member's zone needs the membership too: only a filter on a day waits for it.
  const zoneOf = async (s: ListState) => (filtersOnDays(s) ? getTimeZone() : undefined);
  if (!claims?.sub) {
    await sessionRead; // redirects to sign-in
    return null;
  }
  const userId = claims.sub;
  const params = await props.searchParams;
  const parsed = parseListState(params);
  const linked = await viewLinkHref(sessionRead, "person", parsed.state, params, "/people");
  if (linked) redirect(linked);
  let state = parsed.state;
  let stateError = parsed.ok ? undefined : parsed.error;

  // One transaction reads the custom field definitions, the page, the member
  // choices and the saved views, all sent at once (the page waits for the
  // definitions only when it filters or sorts on a custom field).
  const withCustom = (defs: CustomFieldDef[]) => [...builtInPersonFields(), ...customFieldListFields(defs, "p")];
  const load = (s: ListState) =>
    database().asUser(claims, async (tx) => {
      const reading = listCustomFieldDefs(tx, "person");
      const fields = readsCustomFields(s) ? reading.then(withCustom) : Promise.resolve(builtInPersonFields());
      const [page, defs, members, views] = await Promise.all([
        fields.then(async (f) => listPeople(tx, s, { userId, timeZone: await zoneOf(s), fields: f, withTotal: false })),
        reading,
        listMemberOptions(tx),
        listViews(sessionRead, "person", tx),
      ]);
      return { defs, fields: withCustom(defs), page, members, views };
    });
  // The count runs in a transaction of its own, beside the page, and reaches
  // the list when it is ready. A failed count leaves "Showing 50 people"
  // rather than failing the page.
  const count = (s: ListState): Promise<number | undefined> =>
    database()
      .asUser(claims, async (tx) =>
        countPeople(tx, s, { userId, timeZone: await zoneOf(s), fields: readsCustomFields(s) ? undefined : builtInPersonFields() }),
      )
      .catch(async (err: unknown) => {
        if (!isListQueryError(err)) (await currentLog()).error({ err }, "people count failed");
        return undefined;
      });
  let total = count(state);
  const { defs, fields, page, members: memberOptions, views } = await load(state).catch((e: unknown) => {
    if (!isListQueryError(e)) throw e;
    // Show the list without the parts the URL got wrong, and say what they were.
    stateError = e.message;
    state = { ...state, filters: [], sort: { field: "created_at", dir: "desc" }, after: undefined };
    total = count(state);
    return load(state);
  });
  const session = await sessionRead;
  const me = session.user.id;

  return (
    <div className="grid min-w-0 grid-cols-1 gap-2">
      <PageHeader
        title="People"
        description="Everyone your team talks to."
        actions={<NewPersonButton defs={defs} members={memberOptions} me={me} />}
      />
      <RecordList
        objectType="person"
        fields={toClientFields(fields)}
        rows={rowsForColumns(page.rows, fields, state.columns)}
        nextCursor={page.nextCursor}
        total={total}
        state={state}
        basePath="/people"
        detailBasePath="/people"
        searchPlaceholder="Search name, email or phone"
        views={views}
        members={memberOptions}
        bulk={{
          assign: can(session.role, "records.assign") ? assignPeopleAction : undefined,
          tag: tagPeopleAction,
          archive: can(session.role, "records.archive") ? archivePeopleAction : undefined,
          restore: can(session.role, "records.archive") ? restorePeopleAction : undefined,
          delete: can(session.role, "records.delete") ? deletePeopleAction : undefined,
        }}
        inlineEdit={editPersonCell}
        canDelete={can(session.role, "records.delete")}
        canExport={can(session.role, "records.export")}
        callable
        stateError={stateError}
        emptyState={
          // Only sent when it can show: a page of rows does not carry it (and its form's props) along.
          page.rows.length === 0 ? (
            <div className="grid justify-items-center gap-3 py-10 text-center">
              <p className="text-lg font-medium">No people yet</p>
              <p className="max-w-sm text-sm text-muted-foreground">
                Add the people you work with, or bring them in from a spreadsheet with Import.
              </p>
              <NewPersonButton defs={defs} members={memberOptions} me={me} />
            </div>
          ) : undefined
        }
      />
    </div>
  );
}
