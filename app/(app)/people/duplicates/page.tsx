import type { Metadata } from "next";
import { RecordDuplicatesPage } from "@/modules/crm/records";

export const metadata: Metadata = { title: "Duplicate people" };

export default function DuplicatePeoplePage() {
  return <RecordDuplicatesPage type="person" />;
}
