import { BlockList, isIP } from "node:net";

// Headers a reverse proxy writes to say what the client asked for and who the
// client is. From anyone else they are whatever the client chose to send: a
// forged X-Forwarded-Host would pass the CSRF origin check (ours and the one
// Next.js applies to server actions), a forged X-Forwarded-For would dodge
// per-IP rate limits.
export const FORWARDED_HEADERS = ["forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-for", "x-real-ip"];

/**
 * TRUSTED_PROXIES: the reverse proxies whose forwarded headers are believed,
 * as comma-separated addresses or CIDR ranges (`10.0.0.0/8, ::1`), or `*` for
 * every peer, which is right only where nothing reaches the app except
 * through a proxy that overwrites these headers (Vercel's edge does). Unset:
 * no proxy, and forwarded headers are ignored.
 */
export interface TrustedProxies {
  /** Whether any proxy is configured: then X-Forwarded-Host names the host the client asked for. */
  configured: boolean;
  trusts(address: string | undefined): boolean;
}

export function trustedProxies(setting: string | undefined): TrustedProxies {
  const entries = (setting ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.includes("*")) return { configured: true, trusts: () => true };
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits, extra] = entry.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    if (
      !family ||
      extra !== undefined ||
      (prefix !== undefined && (!/^\d+$/.test(bits!) || prefix > (family === 4 ? 32 : 128)))
    ) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or CIDR range (or *)`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return {
    configured: entries.length > 0,
    trusts(peer) {
      if (!peer) return false;
      // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
      const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peer)?.[1];
      const address = v4 ?? peer;
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * Drops the forwarded headers of a request that did not come from a trusted
 * proxy, and names the peer as the client (X-Forwarded-For), so everything
 * downstream reads only what a trusted proxy or the socket said.
 */
export function scrubForwarded(
  headers: Record<string, string | string[] | undefined>,
  peer: string | undefined,
  trusted: TrustedProxies,
): void {
  if (trusted.trusts(peer)) return;
  for (const name of FORWARDED_HEADERS) delete headers[name];
  if (peer) headers["x-forwarded-for"] = peer;
}
