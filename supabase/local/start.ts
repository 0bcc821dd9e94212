// The embedded runtime: PostgreSQL, the local Supabase API (auth) and the
// Next.js app on one machine, with nothing installed by hand.
//
//   npm start          production build on http://localhost:3000
//   npm run dev        the same with `next dev`
//
// With DATABASE_URL set, nothing local is started: the app runs against
// that Postgres and the Supabase project named by the Supabase variables.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import {
  applyLocalPlatform,
  applyMigrations,
  applySeed,
  LOCAL_ROLE_PASSWORDS,
  UnknownMigrationsError,
} from "../../lib/db/migrate.ts";
import { startLocalApi } from "./api-server.ts";
import { loadOrCreateAuthKeys, loadOrCreateMetaApp, loadOrCreateSecretKeys } from "./keys.ts";
import { seedMetaDemo } from "./meta-demo.ts";
import { seedPartnerDemo } from "./partner-demo.ts";
import { createPartnerStandIn } from "./partner-stand-in.ts";
import { createGoogleStandIn, LOCAL_GOOGLE_CLIENT } from "./google.ts";
import { createMetaGraphStandIn } from "./meta-graph.ts";
import { seedTwilioDemo } from "./twilio-demo.ts";
import { keepDemoMailbox, seedCommunicationsDemo } from "./communications-demo.ts";
import { restoreStandInRecordings, seedCallsDemo } from "./calls-demo.ts";
import { createTwilioStandIn } from "./twilio.ts";
import { DEMO_TWILIO } from "../../modules/twilio/demo.ts";
import { TURNSTILE_TEST_KEYS, turnstileStandIn } from "./turnstile.ts";
import { LOCAL_SOCKET_DIR, startLocalPostgres } from "./postgres.ts";
import { denoAvailable } from "./deno.ts";
import { type FunctionHost, startFunctionHost } from "./functions.ts";

const root = path.resolve(import.meta.dirname, "../..");
export const PUBLISHABLE_KEY = "sb_publishable_covey_local";
export const SECRET_KEY = "sb_secret_covey_local";
/** The production server (server.ts: the REST API directly, everything else through Next), run by tsx. */
const SERVER_ARGS = ["--import", "tsx", path.join(root, "server.ts")];
export const DEMO_LOGIN = { email: "demo@covey.local", password: "covey-demo-1234" };

export interface StackOptions {
  dataDir: string;
  appPort: number;
  apiPort: number;
  dbPort: number;
  dev?: boolean;
  seed?: boolean;
  signupMode?: "open" | "invite_only";
  log?: (line: string) => void;
  /** Where the app's stdout/stderr go (default: inherit). */
  appStdio?: "inherit" | "ignore" | "pipe";
}

export interface Stack {
  appUrl: string;
  apiUrl: string;
  adminDbUrl: string;
  /** The app server's process id (benchmarks read its CPU time). */
  appPid: number;
  stop(): Promise<void>;
}

const BUILD_INPUTS = ["app", "components", "lib", "modules", "public", "types", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json", "postcss.config.mjs"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), s.mtimeMs);
}

/**
 * Builds when there is no build, sources changed, or public settings changed.
 * Sources are compared with the time the last build started, not when it
 * ended: a file saved while a build ran may not be in it.
 */
async function ensureBuild(env: NodeJS.ProcessEnv, log: (l: string) => void) {
  const stampFile = path.join(root, ".next/covey-build.json");
  const publicEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("NEXT_PUBLIC_")).sort());
  let stamp: { publicEnv?: unknown; startedAt?: number } = {};
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    // no build yet, or one from before the stamp said when it started
  }
  const fresh =
    existsSync(path.join(root, ".next/BUILD_ID")) &&
    typeof stamp.startedAt === "number" &&
    JSON.stringify(stamp.publicEnv) === JSON.stringify(publicEnv) &&
    Math.max(...BUILD_INPUTS.map((p) => newestMtime(path.join(root, p)))) < stamp.startedAt;
  if (fresh) return;
  log("building the app (first start or changed sources)…");
  const startedAt = Date.now();
  await run(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], env);
  writeFileSync(stampFile, JSON.stringify({ publicEnv, startedAt }));
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? cmd)} exited with ${code}`))));
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? ((l: string) => console.log(`[covey] ${l}`));
  mkdirSync(opts.dataDir, { recursive: true });
  const pg = await startLocalPostgres({ dir: path.join(opts.dataDir, "pg"), port: opts.dbPort });
  const adminDbUrl = pg.adminUrl();
  try {
    await applyLocalPlatform(adminDbUrl);
    await applyMigrations(adminDbUrl, log);
    const admin = postgres(adminDbUrl, { max: 1, onnotice: () => {} });
    await admin`update private.settings set value = ${opts.signupMode ?? "open"} where key = 'signup_mode'`;
    await admin.end();
    if (opts.seed !== false) await applySeed(adminDbUrl, log);
  } catch (e) {
    await pg.stop();
    if (e instanceof UnknownMigrationsError) {
      throw new Error(
        `${e.message} Stop the app, move ${opts.dataDir} aside (or delete it) and run npm start again: ` +
          "a fresh database is migrated and seeded with the demo data.",
      );
    }
    throw e;
  }

  const keys = loadOrCreateAuthKeys(opts.dataDir);
  const secretKeys = loadOrCreateSecretKeys(opts.dataDir);
  const metaApp = loadOrCreateMetaApp(opts.dataDir);
  if (opts.seed !== false) {
    try {
      await seedMetaDemo(adminDbUrl, secretKeys, log);
      await seedPartnerDemo(adminDbUrl, secretKeys, `http://127.0.0.1:${opts.apiPort}/partner-stand-in/offers`, log);
      await seedTwilioDemo(adminDbUrl, secretKeys, log);
      await seedCommunicationsDemo(adminDbUrl, secretKeys, log);
      await seedCallsDemo(adminDbUrl, log);
    } catch (e) {
      await pg.stop();
      throw e;
    }
  }
  // Meta's Graph API, played on the local API at /meta-graph.
  const metaGraph = createMetaGraphStandIn({ appId: metaApp.appId, appSecret: metaApp.appSecret, prefix: "/meta-graph" });
  const appUrl = `http://localhost:${opts.appPort}`;
  // The demo webhook partner's own system, played on the local API at /partner-stand-in.
  const partnerStandIn = createPartnerStandIn();
  // Google's OAuth and Gmail API, played on the local API at /google.
  // Gmail's pushes go to the gmail-push function with the subscription's token, as Pub/Sub would send them.
  const gmailPushToken = randomBytes(18).toString("base64url");
  const google = createGoogleStandIn({
    ...LOCAL_GOOGLE_CLIENT,
    prefix: "/google",
    pushUrl: `http://127.0.0.1:${opts.apiPort}/functions/v1/gmail-push?token=${gmailPushToken}`,
  });
  if (opts.seed !== false) {
    try {
      await keepDemoMailbox(adminDbUrl, google);
    } catch (e) {
      await pg.stop();
      throw e;
    }
  }
  const googleEnv = (base: string) => ({
    GOOGLE_CLIENT_ID: LOCAL_GOOGLE_CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: LOCAL_GOOGLE_CLIENT.clientSecret,
    GOOGLE_AUTH_URL: `${base}/google/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_URL: `${base}/google`,
    GOOGLE_API_URL: base,
    GMAIL_PUSH_TOPIC: "projects/covey-local/topics/gmail",
    GMAIL_PUSH_TOKEN: gmailPushToken,
  });
  // Twilio, played on the local API at /twilio; its webhooks go to the functions there, as configured in a real number.
  const functionsBase = `http://127.0.0.1:${opts.apiPort}/functions/v1`;
  const twilio = createTwilioStandIn({
    prefix: "/twilio",
    smsUrl: `${functionsBase}/twilio-sms`,
    voiceUrl: `${functionsBase}/twilio-voice`,
    voiceStatusUrl: `${functionsBase}/twilio-voice/status`,
    accounts: [{ ...DEMO_TWILIO, sid: DEMO_TWILIO.accountSid }],
  });
  await restoreStandInRecordings(adminDbUrl, twilio.inboundCalls, [DEMO_TWILIO.accountSid]);
  const dbUrl = (user: keyof typeof LOCAL_ROLE_PASSWORDS) =>
    `postgres://${user}:${LOCAL_ROLE_PASSWORDS[user]}@127.0.0.1:${opts.dbPort}/postgres`;
  // The Edge Functions (webhook-dispatch, jobs, …) under Deno, each nudged
  // on every commit that queues work for it.
  let functions: FunctionHost | undefined;
  if (denoAvailable()) {
    try {
      functions = await startFunctionHost({
        databaseUrl: dbUrl("covey_app"),
        log,
        // What jobs need to write email and links as the app does, and what the
        // Meta webhook and lead fetches need (the Graph API is the stand-in below).
        env: {
          APP_URL: appUrl,
          MAIL_DRIVER: "dev",
          COVEY_SECRET_KEYS: secretKeys,
          META_GRAPH_URL: `http://127.0.0.1:${opts.apiPort}/meta-graph`,
          META_APP_ID: metaApp.appId,
          META_APP_SECRET: metaApp.appSecret,
          META_VERIFY_TOKEN: metaApp.verifyToken,
          ...googleEnv(`http://127.0.0.1:${opts.apiPort}`),
          TWILIO_API_URL: `http://127.0.0.1:${opts.apiPort}/twilio`,
          TWILIO_WEBHOOK_BASE_URL: functionsBase,
        },
      });
    } catch (e) {
      await pg.stop();
      throw e;
    }
  } else {
    log("webhooks and background jobs do not run: the deno package is not installed (npm install --include=dev)");
  }
  let api: Awaited<ReturnType<typeof startLocalApi>>;
  try {
    api = await startLocalApi({
      port: opts.apiPort,
      functions: functions?.routes ?? {},
      // Cloudflare Turnstile for web forms, played at /turnstile.
      routes: {
        "/meta-graph": (req) => metaGraph.handle(req),
        "/turnstile": turnstileStandIn,
        "/google": (req) => google.handle(req),
        "/gmail/v1": (req) => google.handle(req),
        "/partner-stand-in": (req) => partnerStandIn.handle(req),
        "/twilio": (req) => twilio.handle(req),
      },
      auth: {
        databaseUrl: dbUrl("supabase_auth_admin"),
        siteUrl: appUrl,
        apiUrl: `http://127.0.0.1:${opts.apiPort}`,
        publishableKey: PUBLISHABLE_KEY,
        secretKey: SECRET_KEY,
        privateJwk: keys.privateJwk,
        emailHookUrl: `${appUrl}/api/auth/email-hook`,
        emailHookSecret: keys.emailHookSecret,
        disableSignup: opts.signupMode === "invite_only",
        // Sign in with Google against the stand-in, as Supabase's Google provider reaches Google.
        google: {
          ...LOCAL_GOOGLE_CLIENT,
          authUrl: `http://127.0.0.1:${opts.apiPort}/google/o/oauth2/v2/auth`,
          tokenUrl: `http://127.0.0.1:${opts.apiPort}/google/token`,
          jwksUrl: `http://127.0.0.1:${opts.apiPort}/google/oauth2/v3/certs`,
        },
        // Every call comes from the app server's one address; the app limits
        // sign-in per client IP and per email itself (lib/rate-limit.ts). The
        // per-email limit on /token (signInsPerEmail) stays on for direct callers.
        rateLimits: false,
      },
    });
  } catch (e) {
    await functions?.close();
    await pg.stop();
    throw e;
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: opts.dev ? "development" : "production",
    PORT: String(opts.appPort),
    APP_URL: appUrl,
    DATABASE_URL: LOCAL_SOCKET_DIR ? `${dbUrl("covey_app")}?host=${LOCAL_SOCKET_DIR}` : dbUrl("covey_app"),
    NEXT_PUBLIC_SUPABASE_URL: api.url,
    NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    AUTH_EMAIL_HOOK_SECRET: keys.emailHookSecret,
    COVEY_SECRET_KEYS: secretKeys,
    TURNSTILE_SITE_KEY: process.env.TURNSTILE_SITE_KEY ?? TURNSTILE_TEST_KEYS.siteKey,
    TURNSTILE_SECRET_KEY: process.env.TURNSTILE_SECRET_KEY ?? TURNSTILE_TEST_KEYS.passSecret,
    TURNSTILE_VERIFY_URL: process.env.TURNSTILE_VERIFY_URL ?? `${api.url}/turnstile/v0/siteverify`,
    TURNSTILE_SCRIPT_URL: process.env.TURNSTILE_SCRIPT_URL ?? `${api.url}/turnstile/v0/api.js`,
    META_GRAPH_URL: `${api.url}/meta-graph`,
    META_APP_ID: metaApp.appId,
    META_APP_SECRET: metaApp.appSecret,
    META_VERIFY_TOKEN: metaApp.verifyToken,
    ...googleEnv(api.url),
    TWILIO_API_URL: `${api.url}/twilio`,
    TWILIO_WEBHOOK_BASE_URL: functionsBase,
    MAIL_DRIVER: "dev",
    COVEY_EMBEDDED: "1",
    // Webhook endpoints on this machine are fine here (never in production).
    COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const next = path.join(root, "node_modules/next/dist/bin/next");
  let app: ChildProcess;
  try {
    if (!opts.dev) await ensureBuild(env, log);
    app = spawn(process.execPath, opts.dev ? [next, "dev", "-p", String(opts.appPort)] : SERVER_ARGS, {
      cwd: root,
      env,
      stdio: opts.appStdio ?? "inherit",
    });
    await waitForHttp(`${appUrl}/api/health`, app);
  } catch (e) {
    await api.close();
    await functions?.close();
    await pg.stop();
    throw e;
  }

  let stopped = false;
  return {
    appUrl,
    apiUrl: api.url,
    adminDbUrl,
    appPid: app.pid!,
    async stop() {
      if (stopped) return;
      stopped = true;
      // The function host first: the Ctrl-C stopping the stack may stop its functions too, which are then not restarted.
      const functionsClosed = functions?.close();
      const exited = new Promise((r) => (app.exitCode !== null ? r(null) : app.once("exit", r)));
      app.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await api.close();
      await functionsClosed;
      await pg.stop();
    },
  };
}

async function main() {
  if (process.env.DATABASE_URL) {
    // Deployed mode: everything comes from the environment.
    const next = path.join(root, "node_modules/next/dist/bin/next");
    const dev = process.argv.includes("--dev");
    if (!dev) await run(process.execPath, [next, "build"], process.env);
    await run(process.execPath, dev ? [next, "dev"] : SERVER_ARGS, process.env);
    return;
  }
  const stack = await startStack({
    dataDir: process.env.COVEY_DATA_DIR ?? path.join(root, ".data"),
    appPort: Number(process.env.PORT ?? 3000),
    apiPort: Number(process.env.COVEY_API_PORT ?? 54321),
    dbPort: Number(process.env.COVEY_DB_PORT ?? 54322),
    dev: process.argv.includes("--dev"),
    signupMode: process.env.COVEY_SIGNUP_MODE === "invite_only" ? "invite_only" : "open",
  });
  console.log(`
  Covey is running: ${stack.appUrl}

  Demo sign-in:   ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}  (owner of "Covey Demo")
  Dev mailbox:    ${stack.appUrl}/dev/mailbox   (invites, magic links, password resets)
  Meta leads:     ${stack.appUrl}/dev/meta      (submit a lead ad form as a Facebook user)
  Partner system: ${stack.appUrl}/dev/partner   (signed lead offers to the demo webhook partner; answer them)
  Gmail:          ${stack.appUrl}/settings/integrations/gmail (connect a dev Google account), then
                  ${stack.appUrl}/dev/gmail     (write to it as a contact)
  Local API:      ${stack.apiUrl}   Postgres: ${stack.adminDbUrl}

  Press Ctrl-C to stop. Data is kept in .data/.
`);
  const shutdown = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((e) => {
    console.error(`[covey] could not start: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
