import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { listHandoffQueue } from "@/modules/crm/handoffs";
import { HandoffQueue } from "@/modules/crm/handoffs/ui";
import { UUID_RE } from "@/modules/crm/lists/ui";
import { listPipelines } from "@/modules/crm/pipelines";
import { inSentence, nounsOf } from "@/modules/crm/pipelines/ui";

export const metadata: Metadata = { title: "Handoff queue" };

/** The deals waiting for a handoff, one table per pipeline, each named by its pipeline's noun. */
export default async function HandoffsPage({ searchParams }: { searchParams: Promise<{ pipeline?: string }> }) {
  const session = await requirePermission("records.work");
  const pipelineParam = (await searchParams).pipeline;
  const pipelineId = pipelineParam && UUID_RE.test(pipelineParam) ? pipelineParam : undefined;
  const [rows, pipelines] = await asMember(session, (tx) => Promise.all([listHandoffQueue(tx, { pipelineId }), listPipelines(tx)]));
  const timeZone = await getTimeZone();
  const shown = pipelines.filter((p) => (pipelineId ? p.id === pipelineId : rows.some((r) => r.pipelineId === p.id)));
  const only = shown.length === 1 ? nounsOf(shown[0]) : null;

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Handoff queue"
        description={`${only ? only.plural : "Deals"} submitted for handoff, oldest first. Accepting makes the ${
          only ? inSentence(only.singular) : "deal"
        } yours; denying sends it back with your reason.`}
      />
      {shown.length === 0 ? (
        <HandoffQueue rows={[]} noun="Deal" timeZone={timeZone} />
      ) : (
        shown.map((p) => {
          const nouns = nounsOf(p);
          return (
            <section key={p.id} className="grid gap-3" aria-labelledby={`queue-${p.id}`}>
              <h2 id={`queue-${p.id}`} className="text-base font-semibold">
                {nouns.plural} waiting · {p.name}
              </h2>
              <HandoffQueue rows={rows.filter((r) => r.pipelineId === p.id)} noun={nouns.singular} timeZone={timeZone} />
            </section>
          );
        })
      )}
    </div>
  );
}
