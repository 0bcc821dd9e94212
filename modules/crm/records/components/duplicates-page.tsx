import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { asMember, requireSession } from "@/lib/auth/session";
import { canMerge, DuplicatesReview, findDuplicatePairs } from "@/modules/crm/duplicates";

const OBJECTS = {
  person: { plural: "People", href: "/people" },
  company: { plural: "Companies", href: "/companies" },
} as const;

/** The review of possible duplicate people or companies, for their `/duplicates` page. */
export async function RecordDuplicatesPage({ type }: { type: "person" | "company" }) {
  const { plural, href } = OBJECTS[type];
  const session = await requireSession();
  const pairs = await asMember(session, (tx) => findDuplicatePairs(tx, type, { limit: 100 }));
  const mayMerge = canMerge(session.role);
  return (
    <div>
      <PageHeader
        title="Possible duplicates"
        description={
          mayMerge
            ? `${plural} that look like the same record. Compare them and merge what belongs together.`
            : `${plural} that look like the same record. Ask a manager, admin or owner to merge them.`
        }
        actions={
          <Button variant="outline" asChild>
            <Link href={href}>Back to {plural.toLowerCase()}</Link>
          </Button>
        }
      />
      <DuplicatesReview type={type} pairs={pairs} canMerge={mayMerge} />
    </div>
  );
}
