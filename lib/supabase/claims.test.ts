import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createChunks, stringToBase64URL } from "@supabase/ssr";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// The auth server's signing key, served as a JWKS the way Supabase does.
const kid = "test-key";
let server: Server;
let fetches = 0;
// Off: the JWKS endpoint answers 404, as after the key is withdrawn.
let serving = true;
let sign: (claims: JWTPayload, expiresInSeconds: number, opts?: { kid?: string }) => Promise<string>;
let verifiedCookieClaims: typeof import("./claims").verifiedCookieClaims;
let cookieName: string;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }] });
  server = createServer((req, res) => {
    if (req.url !== "/auth/v1/.well-known/jwks.json" || !serving) return void res.writeHead(404).end();
    fetches++;
    res.writeHead(200, { "content-type": "application/json" }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.env.NEXT_PUBLIC_SUPABASE_URL = `http://127.0.0.1:${port}`;
  cookieName = "sb-127-auth-token";
  sign = (claims, expiresIn, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? kid, typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(privateKey);
  ({ verifiedCookieClaims } = await import("./claims"));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

afterEach(() => {
  vi.useRealTimers();
  serving = true;
});

/** The session cookie(s) as @supabase/ssr writes them: base64url JSON, chunked past ~3 KB. */
function jar(session: object | string): (name: string) => string | undefined {
  const value = typeof session === "string" ? session : `base64-${stringToBase64URL(JSON.stringify(session))}`;
  const cookies = new Map(createChunks(cookieName, value).map((c) => [c.name, c.value]));
  return (name) => cookies.get(name);
}

describe("verifiedCookieClaims", () => {
  it("returns the claims of a token signed by the project's key", async () => {
    const token = await sign({ sub: "user-1", role: "authenticated", email: "a@example.test" }, 3600);
    const claims = await verifiedCookieClaims(jar({ access_token: token, refresh_token: "r" }));
    expect(claims).toMatchObject({ sub: "user-1", role: "authenticated", email: "a@example.test" });
  });

  it("reads a session split over several cookies", async () => {
    const token = await sign({ sub: "user-2", padding: "x".repeat(5000) }, 3600);
    const read = jar({ access_token: token, refresh_token: "r" });
    expect(read(`${cookieName}.1`)).toEqual(expect.stringMatching(/.+/));
    expect((await verifiedCookieClaims(read))?.sub).toBe("user-2");
  });

  it("fetches the signing keys once, not per request", async () => {
    const before = fetches;
    const token = await sign({ sub: "user-3" }, 3600);
    for (let i = 0; i < 5; i++) expect((await verifiedCookieClaims(jar({ access_token: token })))?.sub).toBe("user-3");
    expect(fetches - before).toBe(0);
  });

  it("leaves a token near its expiry to the auth client, which refreshes it", async () => {
    const token = await sign({ sub: "user-4" }, 60);
    expect(await verifiedCookieClaims(jar({ access_token: token }))).toBeNull();
  });

  it("refuses expired, forged, unknown-key and malformed sessions", async () => {
    const expired = await sign({ sub: "user-5" }, -10);
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ sub: "user-5" })
      .setProtectedHeader({ alg: "ES256", kid })
      .setExpirationTime("1h")
      .sign(privateKey);
    const unknownKey = await sign({ sub: "user-5" }, 3600, { kid: "other-key" });
    const [header, payload] = (await sign({ sub: "user-5" }, 3600)).split(".");
    const unsigned = `${header}.${payload}.`;
    for (const token of [expired, forged, unknownKey, unsigned]) {
      expect(await verifiedCookieClaims(jar({ access_token: token }))).toBeNull();
    }
    expect(await verifiedCookieClaims(jar("not json"))).toBeNull();
    expect(await verifiedCookieClaims(() => undefined)).toBeNull();
  });

  it("refuses a token without a subject", async () => {
    const token = await sign({ role: "anon" }, 3600);
    expect(await verifiedCookieClaims(jar({ access_token: token }))).toBeNull();
  });

  it("keeps a verified token's claims only while the token is fresh", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = await sign({ sub: "user-6" }, 100);
    expect((await verifiedCookieClaims(jar({ access_token: token })))?.sub).toBe("user-6");
    // Within the refresh margin the token goes to the auth client even though it verified before.
    vi.setSystemTime(Date.now() + 15_000);
    expect(await verifiedCookieClaims(jar({ access_token: token }))).toBeNull();
  });

  it("trusts a verified token no longer than the signing keys are cached", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const token = await sign({ sub: "user-7" }, 3600);
    expect((await verifiedCookieClaims(jar({ access_token: token })))?.sub).toBe("user-7");
    serving = false;
    vi.setSystemTime(Date.now() + 5 * 60_000);
    expect((await verifiedCookieClaims(jar({ access_token: token })))?.sub).toBe("user-7");
    // Past the keys' cache age the token is verified again, against keys that are gone.
    vi.setSystemTime(Date.now() + 6 * 60_000);
    expect(await verifiedCookieClaims(jar({ access_token: token }))).toBeNull();
  });
});
