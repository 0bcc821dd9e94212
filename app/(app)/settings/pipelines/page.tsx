import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { sql } from "@/lib/db";
import { listPipelines } from "@/modules/crm/pipelines";
import { PipelineSettings } from "@/modules/crm/pipelines/ui";
import { listTeamOptions } from "@/modules/teams";

export const metadata: Metadata = { title: "Pipelines" };

export default async function PipelinesSettingsPage() {
  const session = await requirePermission("settings.manage");
  const { pipelines, counts, teams } = await asMember(session, async (tx) => {
    const [pipelines, counts, teams] = await Promise.all([
      listPipelines(tx, { includeArchived: true }),
      sql<{ stage_id: string; n: number }>`select stage_id, count(*)::int as n from public.deals group by stage_id`.execute(tx),
      listTeamOptions(tx),
    ]);
    return { pipelines, counts: counts.rows, teams };
  });
  return (
    <div>
      <PageHeader title="Pipelines" description="Pipelines and their stages: order, probability, won and lost stages, and which roles or teams may move deals." />
      <PipelineSettings pipelines={pipelines} dealCounts={Object.fromEntries(counts.map((c) => [c.stage_id, c.n]))} teams={teams} />
    </div>
  );
}
