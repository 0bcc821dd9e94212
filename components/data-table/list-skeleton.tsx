import { Skeleton } from "@/components/ui/skeleton";

/** Placeholder for a record list while its page loads (route `loading.tsx`). */
export function ListSkeleton({ rows = 10, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="grid min-w-0 grid-cols-1 gap-3" role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <div className="flex flex-wrap items-center gap-2" aria-hidden>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-8 w-20" />
        <Skeleton className="h-8 w-24" />
        <div className="ml-auto flex gap-2">
          <Skeleton className="h-8 w-24" />
          <Skeleton className="h-8 w-24" />
        </div>
      </div>
      <div className="rounded-md border" aria-hidden>
        <div className="flex items-center gap-4 border-b px-3 py-3">
          <Skeleton className="size-4" />
          {Array.from({ length: columns }, (_, i) => (
            <Skeleton key={i} className="h-4 flex-1" />
          ))}
        </div>
        {Array.from({ length: rows }, (_, r) => (
          <div key={r} className="flex items-center gap-4 border-b px-3 py-3 last:border-0">
            <Skeleton className="size-4" />
            {Array.from({ length: columns }, (_, i) => (
              <Skeleton key={i} className={i === 0 ? "h-4 flex-[1.5]" : "h-4 flex-1"} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
