"use client";

import { useCallback, useState } from "react";
import { type ComboboxScope, SearchCombobox } from "@/components/forms/search-combobox";
import { searchLinkableAction } from "../actions";

export interface Picked {
  id: string;
  name: string;
}

/**
 * Picks one company or person by searching their names as you type. Given a
 * company, the person list holds that company's people until asked for all.
 */
export function RecordPicker(props: {
  kind: "company" | "person";
  id?: string;
  value: Picked | null;
  onChange: (value: Picked | null) => void;
  company?: Picked | null;
  invalid?: boolean;
  "aria-describedby"?: string;
}) {
  const { kind } = props;
  const companyId = kind === "person" ? props.company?.id : undefined;
  // Widening holds for the company it was asked at: choosing another narrows again.
  const [widenedAt, setWidenedAt] = useState<string | null>(null);
  const scoped = companyId !== undefined && widenedAt !== companyId ? companyId : undefined;
  const search = useCallback((term: string) => searchLinkableAction(kind, term, scoped), [kind, scoped]);
  const scope: ComboboxScope | undefined =
    scoped && props.company
      ? {
          label: `People at ${props.company.name}`,
          emptyText: "No people at this company match",
          widenLabel: "Search all people",
          onWiden: () => setWidenedAt(scoped),
        }
      : undefined;
  const plural = kind === "company" ? "companies" : "people";
  return (
    <SearchCombobox
      id={props.id}
      value={props.value}
      onChange={props.onChange}
      search={search}
      scope={scope}
      placeholder={`Search ${plural}…`}
      listLabel={kind === "company" ? "Companies" : "People"}
      emptyText={`No ${plural} found`}
      clearLabel={`Clear ${kind}`}
      invalid={props.invalid}
      aria-describedby={props["aria-describedby"]}
    />
  );
}
