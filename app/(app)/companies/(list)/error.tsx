"use client";

import { ListError } from "@/components/data-table/list-error";

export default function CompaniesError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ListError error={props.error} reset={props.reset} title="Companies could not be loaded" />;
}
