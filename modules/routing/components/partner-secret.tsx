"use client";
// A webhook partner's signing secret: shown once, when it is made or
// rotated (it is stored sealed and never read back), to hand to the
// partner, whose system verifies each offer with it (Standard Webhooks).
import { Copy, KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { rotatePartnerSecretAction } from "../actions";
import type { Partner } from "../queries";

export function SecretShownOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="grid gap-4">
      <p className="text-sm">
        Give this signing secret to the partner. Their system verifies each offer&apos;s <code>webhook-signature</code> with it, as
        Standard Webhooks describes. It is shown only now; rotate it to get a new one.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-sm break-all" data-testid="partner-signing-secret">
          {secret}
        </code>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              toast.success("Signing secret copied");
            } catch {
              toast.error("Copying is blocked here; select the secret and copy it instead");
            }
          }}
        >
          <Copy aria-hidden />
          Copy
        </Button>
      </div>
      <DialogFooter>
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </DialogFooter>
    </div>
  );
}

export function RotatePartnerSecretButton({ partner }: { partner: Pick<Partner, "id" | "name"> }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const openChange = (o: boolean) => {
    setOpen(o);
    if (!o) setSecret(null);
  };
  return (
    <Dialog open={open} onOpenChange={openChange}>
      <Button variant="ghost" size="icon" aria-label={`Rotate the signing secret of ${partner.name}`} onClick={() => setOpen(true)}>
        <KeyRound aria-hidden />
      </Button>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{secret ? `New signing secret for ${partner.name}` : `Rotate the signing secret of ${partner.name}?`}</DialogTitle>
          <DialogDescription>
            {secret
              ? "Offers are signed with it from now on."
              : "A new secret signs every offer from now on, and the current one stops at once: give the partner the new one straight away."}
          </DialogDescription>
        </DialogHeader>
        {secret ? (
          <SecretShownOnce secret={secret} onDone={() => openChange(false)} />
        ) : (
          <DialogFooter>
            <Button variant="outline" onClick={() => openChange(false)}>
              Cancel
            </Button>
            <Button
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const r = await rotatePartnerSecretAction(partner.id);
                  if (!r.ok) return void toast.error(r.error);
                  setSecret(r.data.secret);
                  router.refresh();
                })
              }
            >
              Rotate secret
            </Button>
          </DialogFooter>
        )}
      </DialogContent>
    </Dialog>
  );
}
