import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requireSession } from "@/lib/auth/session";
import { loadReference, ObjectSection, OperationSection, ReferenceShell } from "@/modules/api";

type Props = { params: Promise<{ group: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { group } = await params;
  const g = loadReference().groups.find((x) => x.slug === group);
  return { title: g ? `${g.tag} · API reference` : "API reference" };
}

/** One resource of the API reference: the objects it returns first, then its operations. */
export default async function ApiReferenceGroupPage({ params }: Props) {
  const session = await requireSession();
  const { group } = await params;
  const { groups } = loadReference();
  const g = groups.find((x) => x.slug === group);
  if (!g) notFound();
  return (
    <ReferenceShell
      title={g.tag}
      description={`API reference: ${g.operations.length} ${g.operations.length === 1 ? "operation" : "operations"}.`}
      groups={groups}
      current={g.slug}
      manageKeys={can(session.role, "api_keys.manage")}
    >
      {g.objects.map((o) => (
        <ObjectSection key={o.anchor} object={o} />
      ))}
      {g.operations.map((op) => (
        <OperationSection key={op.anchor} op={op} />
      ))}
    </ReferenceShell>
  );
}
