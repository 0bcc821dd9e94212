import { can } from "@/lib/auth/permissions";
import { asMember, type Session } from "@/lib/auth/session";
import type { Tx } from "@/lib/db";
import { DEFAULT_SORT, type ListState, serializeListState, viewStateSchema } from "@/modules/crm/lists/state";
import type { ObjectType, SavedView } from "./schema";

/**
 * The member's own views and the org's shared views of one list, by name;
 * in `tx` when given (a page reading the list in one transaction, which may
 * pass the session while it is still being read).
 */
export async function listViews(session: Session | Promise<Session>, objectType: ObjectType, tx?: Tx): Promise<SavedView[]> {
  const read = (tx: Tx) =>
    tx
      .selectFrom("saved_views as v")
      .leftJoin("profiles as p", "p.user_id", "v.owner_id")
      .select(["v.id", "v.object_type", "v.name", "v.shared", "v.owner_id", "v.state", "v.updated_at", "p.full_name", "p.email"])
      .where("v.object_type", "=", objectType)
      .orderBy("v.name")
      .orderBy("v.id")
      .execute();
  // In a page's transaction the read need not wait for the membership, only the shaping does.
  const reading = tx ? read(tx) : Promise.resolve(session).then((s) => asMember(s, read));
  reading.catch(() => {});
  const member = await session;
  const rows = await reading;
  const admin = can(member.role, "settings.manage");
  return rows.map((r) => {
    const mine = r.owner_id === member.user.id;
    // A view saved before a field was removed still opens; the planner reports what no longer applies.
    const state = viewStateSchema.safeParse(r.state);
    return {
      id: r.id,
      objectType: r.object_type as ObjectType,
      name: r.name,
      shared: r.shared,
      ownerId: r.owner_id,
      ownerName: r.full_name || r.email || "A former member",
      mine,
      editable: mine || (r.shared && admin),
      state: state.success ? state.data : { filters: [], sort: DEFAULT_SORT },
      updatedAt: new Date(r.updated_at).toISOString(),
    };
  });
}

const LIST_PARAMS = ["q", "f", "sort", "cols", "after", "archived"];

/**
 * Where a shared link to a saved view (`?view=<id>` and no list state of its
 * own) should go: the view's own search, filters, sort and columns with its
 * id. The list's own controls always write the sort, so a URL without any of
 * these came from outside the list. Null when the URL carries list state or
 * names no view the member can read (the list then opens as the URL says).
 */
export async function viewLinkHref(
  session: Session | Promise<Session>,
  objectType: ObjectType,
  state: ListState,
  params: Record<string, string | string[] | undefined>,
  basePath: string,
): Promise<string | null> {
  if (!state.view || LIST_PARAMS.some((p) => params[p] !== undefined)) return null;
  const view = (await listViews(session, objectType)).find((v) => v.id === state.view);
  if (!view) return null;
  return `${basePath}?${serializeListState({ ...view.state, view: view.id })}`;
}
