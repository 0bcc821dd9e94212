"use client";

import { SearchCombobox } from "@/components/forms/search-combobox";
import { findCompanies } from "../actions";

export interface CompanyOption {
  id: string;
  name: string;
}

async function searchCompanies(term: string) {
  const result = await findCompanies(term);
  return result.ok ? result.data.map((c) => ({ id: c.id, name: c.name, detail: c.domain })) : [];
}

/**
 * A company combobox: type to search the org's companies on the server (a
 * list of tens of thousands does not fit a select), Enter or Tab to pick.
 */
export function CompanyPicker(props: {
  id?: string;
  value: CompanyOption | null;
  onChange: (value: CompanyOption | null) => void;
  invalid?: boolean;
  // Set by the form control around it.
  "aria-invalid"?: boolean | "true" | "false";
  "aria-describedby"?: string;
}) {
  return (
    <SearchCombobox
      id={props.id}
      value={props.value}
      onChange={props.onChange}
      search={searchCompanies}
      placeholder="Search companies…"
      listLabel="Companies"
      emptyText="No companies found"
      clearLabel="Clear company"
      invalid={props.invalid}
      aria-invalid={props["aria-invalid"]}
      aria-describedby={props["aria-describedby"]}
    />
  );
}
