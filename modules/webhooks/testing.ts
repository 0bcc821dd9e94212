// Test receivers: real local HTTP servers that record what arrives and
// verify signatures with the published `standardwebhooks` library.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  payload: Record<string, unknown> & { type: string; id: string; data: Record<string, unknown> };
  headers: Record<string, string>;
}

/** What the receiver does with a request: answer, never answer, or drop the connection. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string }
  | "hang"
  | "reset";

export interface Receiver {
  url: string;
  received: Received[];
  /** Decides each answer; default 200 "ok". */
  behave(fn: (r: Received, n: number) => Behaviour | Promise<Behaviour>): void;
  /** Throws unless `secret` verifies the delivery (the receiver's side of Standard Webhooks). */
  verify(r: Received, secret: string): unknown;
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A loopback receiver at `path` (default `/hooks`) on a free port. */
export async function startReceiver(path = "/hooks"): Promise<Receiver> {
  const received: Received[] = [];
  let decide: (r: Received, n: number) => Behaviour | Promise<Behaviour> = () => ({ status: 200, body: "ok" });
  const waiters: (() => void)[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const h = (n: string) => String(req.headers[n] ?? "");
    const r: Received = {
      id: h("webhook-id"),
      timestamp: h("webhook-timestamp"),
      signature: h("webhook-signature"),
      body,
      payload: JSON.parse(body),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
    };
    received.push(r);
    for (const w of waiters.splice(0)) w();
    const b = await decide(r, received.length);
    if (b === "hang") return;
    if (b === "reset") {
      req.socket.destroy();
      return;
    }
    res.writeHead(b.status, b.headers);
    res.end(b.body ?? "");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    behave(fn) {
      decide = fn;
    },
    verify(r, secret) {
      return new Webhook(secret).verify(r.body, {
        "webhook-id": r.id,
        "webhook-timestamp": r.timestamp,
        "webhook-signature": r.signature,
      });
    },
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} deliveries, got ${received.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
