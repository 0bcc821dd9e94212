"use client";

import { ListError } from "@/components/data-table/list-error";

export default function LeadsError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ListError error={props.error} reset={props.reset} title="Leads could not be loaded" />;
}
