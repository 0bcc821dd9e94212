"use client";

import { Check, CircleAlert, CircleHelp } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/lib/utils";
import { advanceMatchAction, declineMatchAction, matchSuggestionsAction, proposeMatchAction } from "../actions";
import type { Outcome } from "../criteria";
import type { Suggestion } from "../queries";
import type { MatchSide, MatchStatus } from "../schema";

const OUTCOME = {
  met: { icon: Check, tone: "text-emerald-700 dark:text-emerald-400", word: "Met" },
  unmet: { icon: CircleAlert, tone: "text-destructive", word: "Not met" },
  unknown: { icon: CircleHelp, tone: "text-muted-foreground", word: "Not recorded" },
} as const satisfies Record<Outcome, unknown>;

/** "Propose a match": the partner pipeline's candidates, best fit first, each with its reasons. */
export function ProposeMatchButton(props: { dealId: string; otherLabel: string }) {
  const router = useRouter();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<Suggestion[] | null>(null);
  const [filter, setFilter] = useState("");
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  useEffect(() => {
    if (!open) return;
    setList(null);
    setChosen(null);
    setFilter("");
    setError(null);
    matchSuggestionsAction({ id: props.dealId }).then((r) => (r.ok ? setList(r.data) : setError(r.error)));
  }, [open, props.dealId]);

  const q = filter.trim().toLowerCase();
  const shown = (list ?? []).filter((s) => !q || s.name.toLowerCase().includes(q) || (s.personName ?? "").toLowerCase().includes(q));

  function propose() {
    if (!chosen) {
      setError(`Choose the ${props.otherLabel.toLowerCase()} to match with.`);
      return;
    }
    start(async () => {
      const r = await proposeMatchAction({ dealId: props.dealId, counterpartId: chosen });
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setOpen(false);
      toast.success("Match proposed");
      router.refresh();
    });
  }

  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        Propose a match
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Propose a match</DialogTitle>
            <DialogDescription>
              {props.otherLabel} who could be matched, best fit first. Each reason says whether its criterion is met.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-3">
            <Label htmlFor={`${ids}-filter`}>Find {props.otherLabel.toLowerCase()}</Label>
            <Input id={`${ids}-filter`} value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name" autoComplete="off" />
            <div role="radiogroup" aria-label="Suggestions" className="grid max-h-[50vh] gap-2 overflow-y-auto pr-1">
              {list === null && !error ? <p className="text-sm text-muted-foreground">Loading suggestions…</p> : null}
              {list !== null && shown.length === 0 ? (
                <p className="text-sm text-muted-foreground">{q ? "No one by that name." : `No ${props.otherLabel.toLowerCase()} are waiting for a match.`}</p>
              ) : null}
              {shown.map((s) => (
                <button
                  key={s.dealId}
                  type="button"
                  role="radio"
                  aria-checked={chosen === s.dealId}
                  data-testid="match-suggestion"
                  onClick={() => {
                    setChosen(s.dealId);
                    setError(null);
                  }}
                  className={cn(
                    "grid gap-1.5 rounded-md border p-3 text-left text-sm outline-none hover:bg-muted/50 focus-visible:ring-2 focus-visible:ring-ring",
                    chosen === s.dealId && "border-primary bg-muted/60 ring-1 ring-primary",
                  )}
                >
                  <span className="flex flex-wrap items-baseline justify-between gap-2">
                    <span className="font-medium">{s.name}</span>
                    <span className="text-xs text-muted-foreground">
                      {s.stageName}
                      {s.state ? ` · ${s.state}` : ""} · {s.met} of {s.reasons.length} met
                    </span>
                  </span>
                  {s.reasons.length ? (
                    <ul className="grid gap-0.5">
                      {s.reasons.map((r) => {
                        const o = OUTCOME[r.outcome];
                        return (
                          <li key={r.criterionId} className={cn("flex items-start gap-1.5", o.tone)}>
                            <o.icon className="mt-0.5 size-3.5 shrink-0" aria-label={o.word} />
                            <span>{r.text}</span>
                          </li>
                        );
                      })}
                    </ul>
                  ) : null}
                </button>
              ))}
            </div>
            {error ? (
              <p role="alert" className="text-sm text-destructive">
                {error}
              </p>
            ) : null}
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="button" disabled={pending} onClick={propose}>
              Propose match
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}

/** A match's next step and Decline (which side, and why). */
export function MatchStepButtons(props: {
  matchId: string;
  status: MatchStatus;
  nextLabel: string;
  sides: { left: string; right: string };
  otherName: string;
}) {
  const router = useRouter();
  const ids = useId();
  const [pending, start] = useTransition();
  const [declining, setDeclining] = useState(false);
  const [side, setSide] = useState<MatchSide | "">("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<{ side?: string; reason?: string; form?: string }>({});

  useEffect(() => {
    if (!declining) return;
    setSide("");
    setReason("");
    setErrors({});
  }, [declining]);

  function advance() {
    start(async () => {
      const r = await advanceMatchAction({ id: props.matchId, from: props.status });
      if (!r.ok) {
        toast.error(r.error);
        return;
      }
      toast.success(`Match with ${props.otherName}: ${props.nextLabel}`);
      router.refresh();
    });
  }

  function decline() {
    start(async () => {
      const r = await declineMatchAction({ id: props.matchId, side: side || undefined, reason });
      if (!r.ok) {
        setErrors({ side: r.fieldErrors?.side, reason: r.fieldErrors?.reason, form: r.fieldErrors ? undefined : r.error });
        return;
      }
      setDeclining(false);
      toast.success(`Match with ${props.otherName} declined`);
      router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap gap-2">
      <Button size="sm" disabled={pending} onClick={advance}>
        {props.nextLabel === "Matched" ? "Mark matched" : `Move to ${props.nextLabel}`}
      </Button>
      <Button size="sm" variant="outline" disabled={pending} onClick={() => setDeclining(true)}>
        Decline
      </Button>
      <Dialog open={declining} onOpenChange={setDeclining}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Decline the match with {props.otherName}</DialogTitle>
            <DialogDescription>Who declined, and why: both are kept in the match&apos;s history and on both records.</DialogDescription>
          </DialogHeader>
          <form
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              decline();
            }}
          >
            <fieldset className="grid gap-2" aria-describedby={errors.side ? `${ids}-side-error` : undefined}>
              <legend className="mb-1 text-sm font-medium">Declined by</legend>
              {(["left", "right"] as const).map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input type="radio" name={`${ids}-side`} value={s} checked={side === s} onChange={() => setSide(s)} className="size-4 accent-primary" />
                  {props.sides[s]}
                </label>
              ))}
              {errors.side ? (
                <p id={`${ids}-side-error`} className="text-sm text-destructive">
                  {errors.side}
                </p>
              ) : null}
            </fieldset>
            <div className="grid gap-2">
              <Label htmlFor={`${ids}-reason`}>Reason</Label>
              <Textarea
                id={`${ids}-reason`}
                value={reason}
                maxLength={500}
                onChange={(e) => setReason(e.target.value)}
                placeholder="e.g. Parents prefer a surrogate in their state"
                aria-invalid={errors.reason ? true : undefined}
                aria-describedby={errors.reason ? `${ids}-reason-error` : undefined}
              />
              {errors.reason ? (
                <p id={`${ids}-reason-error`} className="text-sm text-destructive">
                  {errors.reason}
                </p>
              ) : null}
            </div>
            {errors.form ? (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            ) : null}
            <DialogFooter className="pt-2">
              <Button type="button" variant="outline" onClick={() => setDeclining(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="destructive" disabled={pending}>
                Decline match
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </div>
  );
}
