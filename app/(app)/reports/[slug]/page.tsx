import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { asMember, getSession, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { reportTitle, ReportView } from "@/modules/reports";

type Search = Record<string, string | string[] | undefined>;
type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Search> };

function queryOf(search: Search): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (typeof value === "string") query.set(key, value);
  return query;
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const [{ slug }, search, session] = await Promise.all([params, searchParams, getSession()]);
  if (!session || !can(session.role, "reports.view")) return { title: "Reports" };
  const title = await asMember(session, (tx) => reportTitle(tx, slug, queryOf(search)));
  return { title: title ? `${title} · Reports` : "Reports" };
}

export default async function ReportPage({ params, searchParams }: Props) {
  const session = await requirePermission("reports.view");
  const [{ slug }, search, timeZone] = await Promise.all([params, searchParams, getTimeZone()]);
  return <ReportView session={session} timeZone={timeZone} slug={slug} query={queryOf(search)} />;
}
