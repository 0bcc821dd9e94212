"use client";

import { Copy, Eye, EyeOff, KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { revealWebhookSecret, rotateWebhookSecret } from "../actions";
import { DEFAULT_ROTATION_OVERLAP_HOURS, ROTATION_OVERLAPS } from "../schema";

/**
 * The secret stays on the server until asked for: it is not part of the
 * page, so it does not sit in the HTML or the router cache.
 */
export function SigningSecret(props: { endpointId: string }) {
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [pending, start] = useTransition();

  const load = (then: (s: string) => void) => {
    if (secret) return then(secret);
    start(async () => {
      const r = await revealWebhookSecret({ id: props.endpointId });
      if (!r.ok) return void toast.error(r.error);
      setSecret(r.data.secret);
      then(r.data.secret);
    });
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <code
        className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 font-mono text-sm break-all"
        data-testid="signing-secret"
      >
        {shown && secret ? secret : "whsec_••••••••••••••••"}
      </code>
      <Button variant="outline" size="sm" disabled={pending} onClick={() => (shown ? setShown(false) : load(() => setShown(true)))}>
        {shown ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
        {shown ? "Hide" : "Reveal"}
      </Button>
      <Button
        variant="outline"
        size="sm"
        disabled={pending}
        onClick={() =>
          load(async (s) => {
            try {
              await navigator.clipboard.writeText(s);
              toast.success("Signing secret copied");
            } catch {
              setShown(true);
              toast.error("Copying is blocked here; select the secret and copy it instead");
            }
          })
        }
      >
        <Copy aria-hidden />
        Copy
      </Button>
    </div>
  );
}

const hoursLabel = (h: number) => ROTATION_OVERLAPS.find((o) => o.hours === h)?.label ?? `${h} hours`;

export function RotateSecretButton(props: { endpointId: string }) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [overlapHours, setOverlapHours] = useState<number>(DEFAULT_ROTATION_OVERLAP_HOURS);
  const [pending, start] = useTransition();
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
        <KeyRound aria-hidden />
        Rotate secret
      </Button>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Rotate the signing secret?</DialogTitle>
          <DialogDescription>
            A new secret signs every delivery from now on. During the overlap each delivery carries a signature from both
            secrets, so your receiver keeps verifying while you switch it to the new one.
          </DialogDescription>
        </DialogHeader>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-overlap`}>Keep the current secret valid for</Label>
          <NativeSelect id={`${id}-overlap`} value={overlapHours} onChange={(e) => setOverlapHours(Number(e.target.value))}>
            {ROTATION_OVERLAPS.map((o) => (
              <option key={o.hours} value={o.hours}>
                {o.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            disabled={pending}
            onClick={() =>
              start(async () => {
                const r = await rotateWebhookSecret({ id: props.endpointId, overlapHours });
                if (!r.ok) return void toast.error(r.error);
                toast.success(
                  overlapHours === 0
                    ? "Secret rotated; the previous one no longer signs"
                    : `Secret rotated; the previous one keeps signing for ${hoursLabel(overlapHours)}`,
                );
                setOpen(false);
                router.refresh();
              })
            }
          >
            Rotate secret
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
