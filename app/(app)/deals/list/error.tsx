"use client";

import { ListError } from "@/components/data-table/list-error";

export default function DealsListError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ListError error={props.error} reset={props.reset} title="Deals could not be loaded" />;
}
