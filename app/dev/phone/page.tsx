import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isEmbedded } from "@/lib/env";
import { DevAgentPhone, DevCaller } from "@/modules/calls/ui";
import { DevPhone } from "@/modules/sms/ui";
import { DEMO_TWILIO } from "@/modules/twilio";

export const metadata: Metadata = { title: "Dev: phone" };
export const dynamic = "force-dynamic";

/** Plays a customer's phone texting and calling the org's numbers, and the member's own phone. Absent in production. */
export default function DevPhonePage() {
  if (!isEmbedded()) notFound();
  return (
    <main id="main" className="mx-auto grid max-w-4xl gap-4 p-6">
      <h1 className="text-2xl font-semibold">Dev: text a number as a customer</h1>
      <p className="text-sm text-muted-foreground">
        Your text goes to the Twilio stand-in, which signs Twilio&apos;s webhook with the account&apos;s auth token exactly as Twilio does and
        posts it to the real twilio-sms function. Replies the team sends from Covey appear on the phone. +1 512 555 0201 is Maria Gonzalez in
        the demo workspace; any other number becomes a new lead.
      </p>
      <DevPhone defaultFrom="+15125550201" defaultTo={DEMO_TWILIO.number} />
      <section aria-labelledby="agent-phone" className="grid gap-3 border-t pt-6">
        <h2 id="agent-phone" className="text-xl font-semibold">
          Dev: your own phone, for click-to-call
        </h2>
        <p className="text-sm text-muted-foreground">
          Call on a person or lead makes the Twilio stand-in ring the phone on your profile (the demo team&apos;s are +1 512 555 0150 to
          0153). Answer it here, as you would your mobile, and the call is bridged to the contact; the stand-in sends Twilio&apos;s signed
          status callbacks to the real twilio-voice function, and the call&apos;s row on the timeline follows them.
        </p>
        <DevAgentPhone />
      </section>
      <section aria-labelledby="customer-call" className="grid gap-3 border-t pt-6">
        <h2 id="customer-call" className="text-xl font-semibold">
          Call a number as a customer
        </h2>
        <p className="text-sm text-muted-foreground">
          The Twilio stand-in asks the real twilio-voice function what to do with your call, signed as Twilio signs, and plays its answer:
          the number&apos;s greeting, the forward to its default owner&apos;s phone (which rings out unless the agent answers), then
          voicemail. Your message becomes a recording on the caller&apos;s timeline.
        </p>
        <DevCaller defaultFrom="+15125550201" defaultTo={DEMO_TWILIO.number} />
      </section>
    </main>
  );
}
