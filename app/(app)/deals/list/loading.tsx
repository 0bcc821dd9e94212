import { ListSkeleton } from "@/components/data-table/list-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

export default function DealsListLoading() {
  return (
    <div className="grid gap-6">
      <Skeleton className="h-8 w-32" />
      <ListSkeleton />
    </div>
  );
}
