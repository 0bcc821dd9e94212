import type { Metadata } from "next";
import { RecordList } from "@/components/data-table/record-list";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/permissions";
import { asMember, requireSession } from "@/lib/auth/session";
import { currentLog } from "@/lib/log";
import { customFieldListFields, listCustomFieldDefs } from "@/modules/crm/custom-fields/queries";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/types";
import { type ListFieldSql, rowsForColumns, toClientFields } from "@/modules/crm/lists/fields";
import { isListQueryError } from "@/modules/crm/lists/query";
import { parseListState, readsCustomFields } from "@/modules/crm/lists/state";
import { listViews } from "@/modules/crm/views/queries";
import { listMembers } from "@/modules/orgs/queries";
import {
  archivePeopleAction,
  assignPeopleAction,
  deletePeopleAction,
  editPersonCell,
  restorePeopleAction,
  tagPeopleAction,
} from "@/modules/crm/people/actions";
import { NewPersonButton } from "@/modules/crm/people/components/new-person-button";
import { builtInPersonFields, countPeople, listPeople } from "@/modules/crm/people/queries";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireSession();
  const parsed = parseListState(await props.searchParams);
  let state = parsed.state;
  let stateError = parsed.ok ? undefined : parsed.error;

  // One transaction reads the custom field definitions and the page, at
  // once unless the page filters or sorts on a custom field; members and
  // saved views come in parallel on their own. The count follows in its own
  // transaction and reaches the list when it is ready, after the rows.
  const load = (s: typeof state) =>
    asMember(session, async (tx) => {
      const withCustom = (defs: CustomFieldDef[]) => [...builtInPersonFields(), ...customFieldListFields(defs, "p")];
      const reading = listCustomFieldDefs(tx, "person");
      const list = (fields: ListFieldSql[]) => listPeople(tx, s, { fields, userId: session.user.id, withTotal: false });
      const [defs, page] = await Promise.all([
        reading,
        readsCustomFields(s) ? reading.then((d) => list(withCustom(d))) : list(builtInPersonFields()),
      ]);
      return { defs, fields: withCustom(defs), page };
    });
  const [loaded, members, views] = await Promise.all([
    load(state).catch((e: unknown) => {
      if (!isListQueryError(e)) throw e;
      // Show the list without the parts the URL got wrong, and say what they were.
      stateError = e.message;
      state = { ...state, filters: [], sort: { field: "created_at", dir: "desc" }, after: undefined };
      return load(state);
    }),
    listMembers(session),
    listViews(session, "person"),
  ]);
  const { defs, fields, page } = loaded;
  // A failed count leaves "Showing 50 people" rather than failing the page.
  const total = asMember(session, (tx) => countPeople(tx, state, { fields, userId: session.user.id })).catch(async (err: unknown) => {
    (await currentLog()).error({ err }, "people count failed");
    return undefined;
  });
  const memberOptions = members.map((m) => ({ id: m.user_id, name: m.full_name || m.email }));
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
