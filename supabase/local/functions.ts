// Every Edge Function the embedded runtime hosts (deno.ts), served on the
// local API at /functions/v1/<name>. Adding a function is one entry here.
import path from "node:path";
import type { WebHandler } from "./api-server.ts";
import { type HostedFunction, hostEdgeFunction, type HostOptions } from "./deno.ts";
import { startWebhookScheduler } from "./webhooks.ts";

const root = path.resolve(import.meta.dirname, "../..");
export const JOBS_FUNCTION = path.join(root, "supabase/functions/jobs/index.ts");
export const META_WEBHOOK_FUNCTION = path.join(root, "supabase/functions/meta-webhook/index.ts");
export const GMAIL_PUSH_FUNCTION = path.join(root, "supabase/functions/gmail-push/index.ts");
export const TWILIO_SMS_FUNCTION = path.join(root, "supabase/functions/twilio-sms/index.ts");
export const TWILIO_VOICE_FUNCTION = path.join(root, "supabase/functions/twilio-voice/index.ts");

export const EDGE_FUNCTIONS: { name: string; start(opts: HostOptions): Promise<HostedFunction> }[] = [
  { name: "webhook-dispatch", start: startWebhookScheduler },
  {
    name: "jobs",
    // Partners' webhooks on this machine are fine here, as outbound webhooks' are.
    start: (opts) =>
      hostEdgeFunction(
        { name: "jobs", file: JOBS_FUNCTION, secretEnv: "JOBS_SECRET", nudgeOn: "covey_jobs", env: { COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1" } },
        opts,
      ),
  },
  { name: "meta-webhook", start: (opts) => hostEdgeFunction({ name: "meta-webhook", file: META_WEBHOOK_FUNCTION }, opts) },
  { name: "gmail-push", start: (opts) => hostEdgeFunction({ name: "gmail-push", file: GMAIL_PUSH_FUNCTION }, opts) },
  { name: "twilio-sms", start: (opts) => hostEdgeFunction({ name: "twilio-sms", file: TWILIO_SMS_FUNCTION }, opts) },
  { name: "twilio-voice", start: (opts) => hostEdgeFunction({ name: "twilio-voice", file: TWILIO_VOICE_FUNCTION }, opts) },
];

export interface FunctionHost {
  /** Each function by name, for the local API's /functions/v1/<name>. */
  routes: Record<string, WebHandler>;
  get(name: string): HostedFunction | undefined;
  close(): Promise<void>;
}

/** Starts every function in EDGE_FUNCTIONS (in parallel); each logs as `<name>: …`. */
export async function startFunctionHost(opts: HostOptions & { log: (line: string) => void }): Promise<FunctionHost> {
  const started = await Promise.allSettled(
    EDGE_FUNCTIONS.map((f) => f.start({ ...opts, log: (l) => opts.log(`${f.name}: ${l}`) })),
  );
  const hosted = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const close = async () => {
    await Promise.all(hosted.map((f) => f.close()));
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason;
  }
  return {
    routes: Object.fromEntries(hosted.map((f) => [f.name, (req: Request) => f.handle(req)])),
    get: (name) => hosted.find((f) => f.name === name),
    close,
  };
}
