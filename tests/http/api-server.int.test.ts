// The REST API as server.ts serves it on a plain Node server, spoken to over
// a raw keep-alive socket the way a client library reuses connections.
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveApi } from "@/lib/http/node-api";
import { MAX_BODY_BYTES } from "@/modules/api/core/operation";
import { routeApiRequest } from "@/modules/api/router";
import { createTestKey } from "@/tests/support/api";
import { createUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let token: string;

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => void serveApi(req, res, routeApiRequest, { headers: {}, fallbackHost: "localhost" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  token = (await createTestKey(t, await createUser(t, { orgName: "Socket Co" }), ["people:write"])).token;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes `chunks` on one socket and returns the status line of every response, until the server closes it. */
function exchange(chunks: (string | Buffer)[]): Promise<{ statuses: number[]; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    const done = (error?: string) => resolve({ statuses: [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1])), error });
    socket.on("error", (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    socket.on("end", () => done());
    for (const c of chunks) socket.write(c);
  });
}

const postHead = (extra: string) =>
  "POST /api/v1/people HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n" +
  "Authorization: Bearer covey_abcdefgh_abcdefghijklmnopqrstuvwxyz\r\nContent-Type: application/json\r\n" +
  `${extra}\r\n`;
const next = "GET /api/v1/openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

describe("a body within the limit", () => {
  it("is read whole, and the connection serves the next request", async () => {
    const body = JSON.stringify({ first_name: "Kira", last_name: "Kovač" });
    const head =
      "POST /api/v1/people HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n" +
      `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    // The body arrives in two writes that split the "č", as it might over a slow link.
    const bytes = Buffer.from(body);
    const split = bytes.indexOf(Buffer.from("č")) + 1;
    const r = await exchange([head, bytes.subarray(0, split), bytes.subarray(split), next]);
    expect(r).toEqual({ statuses: [201, 200], error: undefined });
    const [person] = await t.admin`select first_name, last_name from people where first_name = 'Kira'`;
    expect(person).toEqual({ first_name: "Kira", last_name: "Kovač" });
  });
});

describe("an oversized body on a keep-alive connection", () => {
  it("is refused with 413 and the next request on the socket is answered", async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES + 10, "x");
    const r = await exchange([postHead(`Content-Length: ${body.byteLength}\r\n`), body, next]);
    expect(r).toEqual({ statuses: [413, 200], error: undefined });
  });

  it("is refused once a chunked body passes the limit, and the socket stays usable", async () => {
    const chunk = Buffer.alloc(256 * 1024, "x");
    const chunks: (string | Buffer)[] = [postHead("Transfer-Encoding: chunked\r\n")];
    for (let i = 0; i < 6; i++) chunks.push(`${chunk.byteLength.toString(16)}\r\n`, chunk, "\r\n");
    chunks.push("0\r\n\r\n", next);
    const r = await exchange(chunks);
    expect(r).toEqual({ statuses: [413, 200], error: undefined });
  });
});
