import type * as React from "react";
import { cn } from "@/lib/utils";

/** A plain <select> styled like the inputs: long option lists stay keyboard- and screen-reader-friendly. */
export function NativeSelect({ className, ...props }: React.ComponentProps<"select">) {
  return (
    <select
      className={cn(
        "h-9 w-full rounded-md border border-input bg-transparent px-2 text-sm shadow-xs outline-none dark:bg-input/30",
        "focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:opacity-50",
        className,
      )}
      {...props}
    />
  );
}
