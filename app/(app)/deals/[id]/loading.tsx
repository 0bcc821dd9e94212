import { Skeleton } from "@/components/ui/skeleton";

export default function DealLoading() {
  return (
    <div className="grid gap-6" aria-busy="true" aria-label="Loading the deal">
      <Skeleton className="h-8 w-64" />
      <Skeleton className="h-8" />
      <div className="grid gap-6 lg:grid-cols-[22rem_1fr]">
        <Skeleton className="h-96" />
        <Skeleton className="h-96" />
      </div>
    </div>
  );
}
