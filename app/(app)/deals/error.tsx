"use client";

import { Button } from "@/components/ui/button";

export default function DealsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="grid max-w-md gap-3 rounded-lg border p-6">
      <h1 className="text-lg font-semibold">The deals could not be loaded</h1>
      <p className="text-sm text-muted-foreground">Something went wrong on our side. Try again in a moment.</p>
      <div>
        <Button onClick={reset}>Try again</Button>
      </div>
    </div>
  );
}
