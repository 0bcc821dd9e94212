import { Skeleton } from "@/components/ui/skeleton";
import { ListSkeleton } from "@/components/data-table/list-skeleton";

export default function LeadsLoading() {
  return (
    <div className="grid gap-6">
      <Skeleton className="h-8 w-32" />
      <ListSkeleton />
    </div>
  );
}
