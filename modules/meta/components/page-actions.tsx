"use client";

import { PlugZap, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { disconnectMetaPage, testMetaConnection } from "../actions";
import type { ConnectionTest } from "../service";
import { TOKEN_STATUS_LABELS } from "../token-status";

/** Asks Meta about the stored token and shows what it said beside the button. */
export function TestConnectionButton(props: { id: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ConnectionTest | { error: string } | null>(null);
  return (
    <div className="grid gap-2">
      <div>
        <Button
          variant="outline"
          size="sm"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = await testMetaConnection({ id: props.id });
              setResult(r.ok ? r.data : { error: r.error });
              router.refresh();
            })
          }
        >
          <PlugZap aria-hidden />
          {pending ? "Testing…" : "Test connection"}
        </Button>
      </div>
      {result ? (
        <p role="status" className={"ok" in result && result.ok ? "text-sm text-emerald-700 dark:text-emerald-400" : "text-sm text-destructive"}>
          {"ok" in result
            ? result.ok
              ? `Connected to ${result.pageName}: token ${TOKEN_STATUS_LABELS[result.status].toLowerCase()}` +
                (result.expiresAt ? `, expires ${new Date(result.expiresAt).toLocaleDateString("en-US", { dateStyle: "medium" })}` : ", does not expire") +
                `; ${result.forms} lead form${result.forms === 1 ? "" : "s"}.`
              : `Meta refused: ${result.error ?? TOKEN_STATUS_LABELS[result.status]}`
            : result.error}
        </p>
      ) : null}
    </div>
  );
}

export function DisconnectPageButton(props: { id: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        <Trash2 aria-hidden />
        Disconnect
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Disconnect {props.name}?</AlertDialogTitle>
          <AlertDialogDescription>
            Its stored token and form settings are deleted. Leads already in Covey stay; new leads from this page are no longer fetched.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const r = await disconnectMetaPage({ id: props.id });
                if (!r.ok) return void toast.error(r.error);
                toast.success("Page disconnected");
                setOpen(false);
                router.refresh();
              });
            }}
          >
            Disconnect page
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
