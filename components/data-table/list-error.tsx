"use client";

import { AlertCircleIcon, RotateCcwIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * What a list route's `error.tsx` renders: the list could not be loaded.
 * `reset` retries the render; the reference lets support find the logged error.
 */
export function ListError(props: { error: Error & { digest?: string }; reset?: () => void; title?: string }) {
  return (
    <Alert variant="destructive">
      <AlertCircleIcon aria-hidden />
      <AlertTitle>{props.title ?? "This list could not be loaded"}</AlertTitle>
      <AlertDescription className="grid gap-3">
        <p>Something went wrong on our side. Try again; if it keeps happening, tell your administrator.</p>
        {props.error.digest ? <p className="text-xs">Reference: {props.error.digest}</p> : null}
        {props.reset ? (
          <div>
            <Button variant="outline" size="sm" onClick={props.reset}>
              <RotateCcwIcon aria-hidden />
              Try again
            </Button>
          </div>
        ) : null}
      </AlertDescription>
    </Alert>
  );
}
