import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isEmbedded } from "@/lib/env";
import { DEMO_FORMS, DEMO_META, SURROGACY_DEMO_FORMS, SURROGACY_DEMO_META } from "@/modules/meta";
import { DevMetaLeadForm } from "@/modules/meta/ui";

export const metadata: Metadata = { title: "Dev: Meta lead" };
export const dynamic = "force-dynamic";

/** Plays a Facebook user submitting a lead ad form. Absent in production. */
export default function DevMetaPage() {
  if (!isEmbedded()) notFound();
  return (
    <main id="main" className="mx-auto grid max-w-xl gap-4 p-6">
      <h1 className="text-2xl font-semibold">Dev: submit a Meta lead</h1>
      <p className="text-sm text-muted-foreground">
        Fill in a lead form of {DEMO_META.pageName} (Covey Demo) or {SURROGACY_DEMO_META.pageName} (Bloom Surrogacy Partners, whose
        leads arrive as cases) as a Facebook user would. The lead is created in the local Graph API stand-in and
        Meta&apos;s webhook delivery, signed with the app secret, goes to the real meta-webhook function.
      </p>
      <DevMetaLeadForm forms={[...DEMO_FORMS, ...SURROGACY_DEMO_FORMS].map(({ id, name }) => ({ id, name }))} />
    </main>
  );
}
