import { Skeleton } from "@/components/ui/skeleton";

export default function DealsBoardLoading() {
  return (
    <div aria-busy="true" aria-label="Loading the board">
      <Skeleton className="mb-6 h-8 w-40" />
      <div className="flex gap-3 overflow-hidden">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="grid w-72 shrink-0 gap-2 rounded-lg border p-2">
            <Skeleton className="h-10" />
            {Array.from({ length: 4 - (i % 3) }, (_, j) => (
              <Skeleton key={j} className="h-20" />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
