"use client";
// Accept, or decline with a reason: the partner's two answers to an offer.
// After the answer the form gives way to what it did (the contact details
// when accepted); the link works once, so there is no going back.
import { useActionState, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { answerOfferAction, type OfferAnswerState } from "../actions";

export function OfferAnswer({ token, deliveryId }: { token: string; deliveryId: string }) {
  const [state, action, pending] = useActionState<OfferAnswerState, FormData>(answerOfferAction, null);
  const [declining, setDeclining] = useState(false);

  if (state?.outcome === "accepted") {
    const l = state.lead;
    return (
      <Alert>
        <AlertTitle>You accepted this lead</AlertTitle>
        <AlertDescription>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{l.name || "—"}</dd>
            <dt className="text-muted-foreground">Email</dt>
            <dd>{l.email ?? "—"}</dd>
            <dt className="text-muted-foreground">Phone</dt>
            <dd>{l.phone ?? "—"}</dd>
          </dl>
          <p className="mt-3">Keep these details: this link does not open again.</p>
        </AlertDescription>
      </Alert>
    );
  }
  if (state && state.outcome !== "invalid") {
    const text: Record<string, string> = {
      rejected: "You declined this lead. Thank you for letting us know.",
      expired: "This offer expired before your answer arrived.",
      answered: "This link has already been used.",
      unknown: "This link is not valid.",
    };
    return (
      <Alert role="status">
        <AlertTitle>{text[state.outcome]}</AlertTitle>
      </Alert>
    );
  }

  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="delivery_id" value={deliveryId} />
      {state?.outcome === "invalid" && (
        <Alert variant="destructive">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      )}
      {declining ? (
        <div className="space-y-2">
          <Label htmlFor="reason">Why are you declining? (optional)</Label>
          <Textarea id="reason" name="reason" maxLength={1000} rows={3} autoFocus />
          <div className="flex gap-2">
            <Button type="submit" name="answer" value="rejected" variant="destructive" disabled={pending}>
              Decline lead
            </Button>
            <Button type="button" variant="ghost" onClick={() => setDeclining(false)} disabled={pending}>
              Back
            </Button>
          </div>
        </div>
      ) : (
        <div className="flex gap-2">
          <Button type="submit" name="answer" value="accepted" disabled={pending}>
            Accept lead
          </Button>
          <Button type="button" variant="outline" onClick={() => setDeclining(true)} disabled={pending}>
            Decline…
          </Button>
        </div>
      )}
    </form>
  );
}
