// The Google adapter with the real SDKs (google-auth-library,
// @googleapis/gmail) against the stand-in: consent → code → tokens, sending
// threaded mail, listing, history and its expiry, and a revoked grant.
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoogleStandIn, type GoogleStandIn, serveGoogle } from "@/supabase/local/google";
import { buildRawEmail, newMessageId } from "./compose";
import { consentUrl, exchangeCode, GMAIL_SCOPES, type GoogleConfig, GoogleError, gmailClient, googleConfig, revokeToken } from "./google";

const client = { clientId: "covey-test.apps.googleusercontent.com", clientSecret: "test-secret" };
const redirectUri = "http://app.test/api/gmail/callback";
let standIn: GoogleStandIn;
let server: Awaited<ReturnType<typeof serveGoogle>>;
let config: GoogleConfig;

beforeAll(async () => {
  standIn = createGoogleStandIn(client);
  server = await serveGoogle(standIn);
  config = googleConfig(
    (n) =>
      ({
        GOOGLE_CLIENT_ID: client.clientId,
        GOOGLE_CLIENT_SECRET: client.clientSecret,
        GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
        GOOGLE_OAUTH_URL: server.url,
        GOOGLE_API_URL: server.url,
      })[n],
  );
});
afterAll(() => server?.close());

/** Plays the member on the consent screen: picks `email`, Allow; returns the redirect's parameters. */
async function consent(email: string, state = "s1") {
  const url = new URL(consentUrl(config, { redirectUri, state }));
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Choose an account");
  const form = new URLSearchParams(url.searchParams);
  form.set("account", email);
  form.set("decision", "allow");
  const res = await fetch(url, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!).searchParams;
}

async function connect(email: string) {
  const back = await consent(email);
  return exchangeCode(config, back.get("code")!, redirectUri);
}

describe("Google OAuth through google-auth-library", () => {
  it("asks for offline access with consent, both Gmail scopes and the state", () => {
    const url = new URL(consentUrl(config, { redirectUri, state: "xyz" }));
    expect(url.origin + url.pathname).toBe(`${server.url}/o/oauth2/v2/auth`);
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(url.searchParams.get("scope")!.split(" ")).toEqual(GMAIL_SCOPES);
  });

  it("turns the consent screen's code into a refresh token once, and refuses a replayed code", async () => {
    const back = await consent("demo.covey@gmail.com", "st");
    expect(back.get("state")).toBe("st");
    const tokens = await exchangeCode(config, back.get("code")!, redirectUri);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    await expect(exchangeCode(config, back.get("code")!, redirectUri)).rejects.toMatchObject({ reason: "invalid_grant" });
  });

  it("revoking the grant makes the Gmail client fail as revoked", async () => {
    const tokens = await connect("sam.sales.covey@gmail.com");
    const gmail = gmailClient(config, tokens.refreshToken);
    expect((await gmail.profile()).emailAddress).toBe("sam.sales.covey@gmail.com");
    await revokeToken(config, tokens.refreshToken);
    // Revoking twice is not an error: the grant is gone either way.
    await revokeToken(config, tokens.refreshToken);
    const fresh = gmailClient(config, tokens.refreshToken);
    const err = await fresh.profile().catch((e) => e);
    expect(err).toBeInstanceOf(GoogleError);
    expect((err as GoogleError).revoked).toBe(true);
    expect((err as GoogleError).transient).toBe(false);
  });
});

describe("the Gmail API through @googleapis/gmail", () => {
  it("sends an RFC 2822 message and keeps a reply in its thread", async () => {
    const tokens = await connect("alex.admin.covey@gmail.com");
    const gmail = gmailClient(config, tokens.refreshToken);
    const firstId = newMessageId("covey.test");
    const raw = await buildRawEmail(
      {
        from: { address: "alex.admin.covey@gmail.com", name: "Alex Admin" },
        to: ["ada@example.com"],
        cc: ["cc@example.com"],
        bcc: ["hidden@example.com"],
        subject: "Proposal — next steps",
        html: "<p>Hello <strong>Ada</strong></p>",
        text: "Hello Ada",
      },
      firstId,
    );
    const sent = await gmail.send(raw);
    expect(sent.id).toMatch(/^[0-9a-f]{16}$/);
    const stored = await gmail.getRaw(sent.id);
    const parsed = await PostalMime.parse(stored!.raw);
    expect(parsed.subject).toBe("Proposal — next steps");
    expect(parsed.messageId).toBe(firstId);
    expect(parsed.html).toContain("<strong>Ada</strong>");
    expect(parsed.bcc?.map((a) => a.address)).toEqual(["hidden@example.com"]);

    const reply = await buildRawEmail(
      { from: { address: "alex.admin.covey@gmail.com" }, to: ["ada@example.com"], cc: [], bcc: [], subject: "Re: Proposal — next steps", html: "<p>More</p>", text: "More", inReplyTo: firstId },
      newMessageId("covey.test"),
    );
    const second = await gmail.send(reply, sent.threadId);
    expect(second.threadId).toBe(sent.threadId);
    const replyParsed = await PostalMime.parse((await gmail.getRaw(second.id))!.raw);
    expect(replyParsed.inReplyTo).toBe(firstId);
  });

  it("lists recent messages, reads history since an id, and answers 404 once that history has expired", async () => {
    const tokens = await connect("demo.covey@gmail.com");
    const gmail = gmailClient(config, tokens.refreshToken);
    const { historyId } = await gmail.profile();
    for (const subject of ["One", "Two"]) {
      await fetch(`${server.url}/_dev/incoming`, { method: "POST", body: JSON.stringify({ to: "demo.covey@gmail.com", from: "ada@example.com", subject, text: subject }) });
    }
    const history = await gmail.history(historyId);
    expect(history.added).toHaveLength(2);
    expect(Number(history.historyId)).toBeGreaterThan(Number(historyId));
    const listed = await gmail.listMessages({ q: "newer_than:30d", maxResults: 1 });
    expect(listed.messages).toHaveLength(1);
    expect(listed.nextPageToken).not.toBeNull();

    await fetch(`${server.url}/_dev/expire-history`, { method: "POST", body: JSON.stringify({ email: "demo.covey@gmail.com" }) });
    const err = await gmail.history(historyId).catch((e) => e);
    expect(err).toBeInstanceOf(GoogleError);
    expect((err as GoogleError).status).toBe(404);
  });

  it("watch turns on push: a new message is POSTed to the push URL in Pub/Sub's envelope", async () => {
    const received: unknown[] = [];
    const sink = await serveGoogle({
      handle: async (req) => {
        received.push(await req.json());
        return new Response(null, { status: 204 });
      },
    });
    const pushing = createGoogleStandIn({ ...client, pushUrl: `${sink.url}/push?token=t` });
    const s2 = await serveGoogle(pushing);
    try {
      const cfg = { ...config, authUrl: `${s2.url}/o/oauth2/v2/auth`, oauthUrl: s2.url, apiUrl: `${s2.url}/` };
      const url = new URL(consentUrl(cfg, { redirectUri, state: "p" }));
      const form = new URLSearchParams(url.searchParams);
      form.set("account", "demo.covey@gmail.com");
      form.set("decision", "allow");
      const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
      const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
      const gmail = gmailClient(cfg, (await exchangeCode(cfg, code, redirectUri)).refreshToken);
      await gmail.watch("projects/covey/topics/gmail");
      await fetch(`${s2.url}/_dev/incoming`, { method: "POST", body: JSON.stringify({ to: "demo.covey@gmail.com", from: "ada@example.com", subject: "Hi" }) });
      await pushing.pendingPushes();
      expect(received).toHaveLength(1);
      const envelope = received[0] as { message: { data: string; messageId: string }; subscription: string };
      expect(JSON.parse(Buffer.from(envelope.message.data, "base64").toString())).toMatchObject({ emailAddress: "demo.covey@gmail.com" });
      expect(envelope.message.messageId).toBeTruthy();
    } finally {
      await s2.close();
      await sink.close();
    }
  });
});
