import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { asMember, requireSession } from "@/lib/auth/session";
import { canMerge, DuplicatesReview, findDuplicatePairs } from "@/modules/crm/duplicates";

export const metadata: Metadata = { title: "Duplicate companies" };

export default async function DuplicateCompaniesPage() {
  const session = await requireSession();
  const pairs = await asMember(session, (tx) => findDuplicatePairs(tx, "company", { limit: 100 }));
  const mayMerge = canMerge(session.role);
  return (
    <div>
      <PageHeader
        title="Possible duplicates"
        description={
          mayMerge
            ? "Companies that look like the same record. Compare them and merge what belongs together."
            : "Companies that look like the same record. Ask a manager, admin or owner to merge them."
        }
        actions={
          <Button variant="outline" asChild>
            <Link href="/companies">Back to companies</Link>
          </Button>
        }
      />
      <DuplicatesReview type="company" pairs={pairs} canMerge={mayMerge} />
    </div>
  );
}
