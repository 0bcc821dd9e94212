import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { sql } from "@/lib/db";
import { listHandoffSettings } from "@/modules/crm/handoffs";
import { HandoffSettings } from "@/modules/crm/handoffs/ui";
import { listPipelines } from "@/modules/crm/pipelines";
import { PipelineSettings } from "@/modules/crm/pipelines/ui";
import { listTeamOptions } from "@/modules/teams";

export const metadata: Metadata = { title: "Pipelines" };

export default async function PipelinesSettingsPage() {
  const session = await requirePermission("settings.manage");
  const { pipelines, counts, teams, handoffs } = await asMember(session, async (tx) => {
    const [pipelines, counts, teams, handoffs] = await Promise.all([
      listPipelines(tx, { includeArchived: true }),
      sql<{ stage_id: string; n: number }>`select stage_id, count(*)::int as n from public.deals group by stage_id`.execute(tx),
      listTeamOptions(tx),
      listHandoffSettings(tx),
    ]);
    return { pipelines, counts: counts.rows, teams, handoffs };
  });
  return (
    <div>
      <PageHeader title="Pipelines" description="Pipelines and their stages: order, probability, won and lost stages, and which roles or teams may move deals." />
      <PipelineSettings pipelines={pipelines} dealCounts={Object.fromEntries(counts.map((c) => [c.stage_id, c.n]))} teams={teams} />
      {handoffs.map((p) => (
        <section key={p.id} aria-labelledby={`handoffs-${p.id}`} className="mt-8 grid gap-3">
          <h2 id={`handoffs-${p.id}`} className="text-lg font-semibold">Handoffs and locks · {p.name}</h2>
          <HandoffSettings pipeline={p} />
        </section>
      ))}
    </div>
  );
}
