import type { Metadata } from "next";
import { RecordDuplicatesPage } from "@/modules/crm/records";

export const metadata: Metadata = { title: "Duplicate companies" };

export default function DuplicateCompaniesPage() {
  return <RecordDuplicatesPage type="company" />;
}
