// pinnedFetch on Node and under Deno (as the webhook-dispatch function runs
// it): the connection goes to the given address whatever the name would
// resolve to, while Host, the TLS server name and the certificate check stay
// the URL's host. Every host here is under `.invalid`, which never resolves.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import * as undici from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pinnedFetch, type Undici } from "./pinned-fetch.ts";
import { TEST_TLS_CERT, TEST_TLS_HOST, TEST_TLS_KEY } from "./test-tls.ts";

const root = path.resolve(import.meta.dirname, "../..");
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const servername = (req.socket as unknown as { servername?: string }).servername;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ host: req.headers.host, servername, body }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("pinnedFetch on Node", () => {
  const send = pinnedFetch(undici as unknown as Undici, { ca: TEST_TLS_CERT });
  afterAll(() => send.close());

  it("connects to the given address, with the URL's host for Host, SNI and the certificate", async () => {
    const res = await send(new URL(`https://${TEST_TLS_HOST}:${port}/hook`), "127.0.0.1", { method: "POST", body: "hello" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ host: `${TEST_TLS_HOST}:${port}`, servername: TEST_TLS_HOST, body: "hello" });
  });

  it("still refuses a certificate that does not name the URL's host", async () => {
    await expect(send(new URL(`https://other.invalid:${port}/hook`), "127.0.0.1", { method: "POST", body: "x" })).rejects.toThrow();
  });
});

describe("pinnedFetch under Deno", () => {
  it("connects the same way with npm:undici", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "covey-pinned-"));
    try {
      const script = path.join(dir, "probe.ts");
      writeFileSync(
        script,
        [
          `import * as undici from "npm:undici@^8.14.1";`,
          `import { pinnedFetch } from ${JSON.stringify(path.join(root, "modules/webhooks/pinned-fetch.ts"))};`,
          `import { TEST_TLS_CERT, TEST_TLS_HOST } from ${JSON.stringify(path.join(root, "modules/webhooks/test-tls.ts"))};`,
          `const send = pinnedFetch(undici, { ca: TEST_TLS_CERT });`,
          `const res = await send(new URL(\`https://\${TEST_TLS_HOST}:${port}/hook\`), "127.0.0.1", { method: "POST", body: "from deno" });`,
          `console.log(JSON.stringify({ status: res.status, body: await res.json() }));`,
          `await send.close();`,
        ].join("\n"),
      );
      const { stdout } = await promisify(execFile)(
        path.join(root, "node_modules/.bin/deno"),
        ["run", "--allow-net", "--allow-env", "--allow-read", "--no-prompt", script],
        { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } },
      );
      expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual({
        status: 200,
        body: { host: `${TEST_TLS_HOST}:${port}`, servername: TEST_TLS_HOST, body: "from deno" },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
