"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { cn } from "@/lib/utils";
import { moveDealAction } from "../actions";

/** The pipeline's stages as a bar; the current one and those before it are filled. Click a stage to move there. */
export function StageProgress(props: {
  dealId: string;
  stageId: string;
  stages: { id: string; name: string; isWon: boolean; isLost: boolean; allowed: boolean }[];
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const current = props.stages.findIndex((s) => s.id === props.stageId);
  return (
    <nav aria-label="Stage">
      <ol className="flex gap-1">
        {props.stages.map((s, i) => {
          const here = i === current;
          return (
            <li key={s.id} className="min-w-0 flex-1">
              <button
                type="button"
                disabled={pending || here}
                aria-current={here ? "step" : undefined}
                title={here ? `Current stage: ${s.name}` : `Move to ${s.name}`}
                aria-label={`Stage ${s.name}`}
                onClick={() =>
                  start(async () => {
                    const r = await moveDealAction({ id: props.dealId, stageId: s.id, beforeId: null, afterId: null });
                    if (!r.ok) toast.error(r.error);
                    else router.refresh();
                  })
                }
                className={cn(
                  "w-full truncate rounded-sm px-2 py-1.5 text-xs font-medium outline-none focus-visible:ring-[3px] focus-visible:ring-ring/60",
                  i <= current
                    ? s.isLost && here
                      ? "bg-destructive text-destructive-foreground"
                      : "bg-primary text-primary-foreground"
                    : "bg-muted text-muted-foreground hover:bg-accent hover:text-accent-foreground",
                  here && "cursor-default",
                )}
              >
                {s.name}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
