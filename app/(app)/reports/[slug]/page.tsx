import type { Metadata } from "next";
import { requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { reportOf, ReportView } from "@/modules/reports";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const report = reportOf((await params).slug);
  return { title: report ? `${report.title({ singular: "Deal", plural: "Deals" })} · Reports` : "Reports" };
}

export default async function ReportPage({ params, searchParams }: Props) {
  const session = await requirePermission("reports.view");
  const [{ slug }, search, timeZone] = await Promise.all([params, searchParams, getTimeZone()]);
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (typeof value === "string") query.set(key, value);
  return <ReportView session={session} timeZone={timeZone} slug={slug} query={query} />;
}
