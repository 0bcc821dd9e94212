import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main id="main" className="flex min-h-[60svh] flex-col items-center justify-center gap-4 p-6 text-center">
      <p className="text-sm font-medium text-muted-foreground">403</p>
      <h1 className="text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        Your role in this organization does not include it. Ask an owner or admin if you need access.
      </p>
      <Button asChild>
        <Link href="/">Back to the dashboard</Link>
      </Button>
    </main>
  );
}
