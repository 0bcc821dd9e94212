// CPU time of the processes a benchmark drives, read from /proc. On a shared
// machine wall-clock throughput moves with everyone else's load; CPU spent
// per request by the app and by Postgres does not, so benchmarks print both.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 1000 / 100;

function stat(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  } catch {
    return null;
  }
}

/** CPU milliseconds (user + system) of a process, or NaN where /proc is not readable. */
export function cpuMs(pid: number): number {
  const f = stat(pid);
  return f ? (Number(f[11]) + Number(f[12])) * TICK_MS : Number.NaN;
}

/**
 * CPU milliseconds of a process and all its descendants, live ones and
 * those it has waited for: e.g. a postmaster and its backends.
 */
export function treeCpuMs(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const f = stat(pid);
    if (!f) continue;
    const ppid = Number(f[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let total = 0;
  const walk = (pid: number) => {
    const f = stat(pid);
    if (!f) return;
    // utime, stime, and the reaped children's cutime, cstime.
    total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return total;
}

/** The postmaster's pid of a data directory (first line of postmaster.pid). */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]);
}
