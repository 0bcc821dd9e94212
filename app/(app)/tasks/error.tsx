"use client";

import { ListError } from "@/components/data-table/list-error";

export default function TasksError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ListError error={error} reset={reset} title="Tasks could not be loaded" />;
}
