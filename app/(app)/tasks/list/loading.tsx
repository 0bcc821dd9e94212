import { ListSkeleton } from "@/components/data-table/list-skeleton";

export default function Loading() {
  return <ListSkeleton columns={5} />;
}
