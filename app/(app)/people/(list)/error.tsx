"use client";

import { ListError } from "@/components/data-table/list-error";

export default function PeopleError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ListError error={props.error} reset={props.reset} title="People could not be loaded" />;
}
