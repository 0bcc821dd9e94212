// The SSRF guard: an endpoint URL must not let an org reach the addresses of
// the machine or network Covey runs in. Every address a host resolves to must
// be public unicast; URLs must be https. The embedded runtime additionally
// allows loopback (http or https) so a receiver on the same machine works.
//
// Hosts arrive canonical from the WHATWG URL parser (decimal, octal or hex
// IPv4 forms become dotted quads; IPv6 is lower-case and compressed) and from
// DNS, so the parsers below only need those forms.

export type Resolver = (hostname: string) => Promise<string[]>;

export interface UrlPolicy {
  /** The embedded runtime: loopback receivers are fine. */
  allowLoopback: boolean;
  resolve: Resolver;
}

/** `address`: where to connect, one of the addresses the check allowed (see pinned-fetch.ts). */
export type UrlCheck = { ok: true; url: URL; address: string } | { ok: false; reason: string };

type Range = [prefix: number[], bits: number, label: string];

// IPv4 ranges that are not public unicast (RFC 6890 and friends).
const V4_BLOCKED: Range[] = [
  [[0, 0, 0, 0], 8, "a reserved address"],
  [[10, 0, 0, 0], 8, "a private address"],
  [[100, 64, 0, 0], 10, "a shared (CGNAT) address"],
  [[127, 0, 0, 0], 8, "a loopback address"],
  [[169, 254, 0, 0], 16, "a link-local address (cloud metadata)"],
  [[172, 16, 0, 0], 12, "a private address"],
  [[192, 0, 0, 0], 24, "a reserved address"],
  [[192, 0, 2, 0], 24, "a documentation address"],
  [[192, 88, 99, 0], 24, "a reserved address"],
  [[192, 168, 0, 0], 16, "a private address"],
  [[198, 18, 0, 0], 15, "a benchmarking address"],
  [[198, 51, 100, 0], 24, "a documentation address"],
  [[203, 0, 113, 0], 24, "a documentation address"],
  [[224, 0, 0, 0], 4, "a multicast address"],
  [[240, 0, 0, 0], 4, "a reserved address"],
];

// IPv6, as 16 bytes. Ranges that embed an IPv4 address are checked through it.
const V6_BLOCKED: Range[] = [
  [[], 128, "the unspecified address"],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, "a loopback address"],
  // The deprecated IPv4-compatible form.
  [[], 96, "a reserved address"],
  [[0, 0x64, 0xff, 0x9b, 0, 1], 48, "a private NAT64 address"],
  [[0x01], 64, "a discard-only address"],
  [[0x20, 0x01, 0x00], 23, "a reserved address"],
  [[0x20, 0x01, 0x0d, 0xb8], 32, "a documentation address"],
  [[0xfc], 7, "a unique local address"],
  [[0xfe, 0x80], 10, "a link-local address"],
  [[0xfe, 0xc0], 10, "a site-local address"],
  [[0xff], 8, "a multicast address"],
];

function inRange(bytes: number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((bytes[byte] & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

export function parseIPv4(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

export function parseIPv6(input: string): number[] | null {
  let s = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(":")) return null;
  // A trailing dotted IPv4 part (::ffff:1.2.3.4) becomes its two hex groups.
  const lastColon = s.lastIndexOf(":");
  const last = s.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 2 && fill === 0) || head.length + fill + tail.length !== 8) return null;
  const bytes: number[] = [];
  for (const g of [...head, ...Array<string>(fill).fill("0"), ...tail]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return bytes;
}

export interface AddressClass {
  loopback: boolean;
  /** Why the address is not public unicast; null when it is. */
  blocked: string | null;
}

/** Classifies an IP address string; null when it is not one. */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseIPv4(address);
  if (v4) {
    const hit = V4_BLOCKED.find((r) => inRange(v4, r));
    return { loopback: v4[0] === 127, blocked: hit ? hit[2] : null };
  }
  const v6 = parseIPv6(address);
  if (!v6) return null;
  // IPv4-mapped (::ffff:a.b.c.d), 6to4 (2002:aabb:ccdd::) and NAT64
  // (64:ff9b::a.b.c.d) addresses reach the IPv4 address they carry.
  const zeros = (from: number, to: number) => v6.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && v6[10] === 0xff && v6[11] === 0xff) return classifyAddress(v6.slice(12).join("."));
  if (v6[0] === 0x20 && v6[1] === 0x02) return classifyAddress(v6.slice(2, 6).join("."));
  if (v6[0] === 0 && v6[1] === 0x64 && v6[2] === 0xff && v6[3] === 0x9b && zeros(4, 12)) {
    return classifyAddress(v6.slice(12).join("."));
  }
  const loopback = zeros(0, 15) && v6[15] === 1;
  const hit = V6_BLOCKED.find((r) => inRange(v6, r));
  return { loopback, blocked: hit ? hit[2] : null };
}

function isLoopbackName(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost");
}

/**
 * Decides whether a delivery may be sent to `raw`. Resolves the host (unless
 * it is an address) and refuses if ANY address is not allowed, so a name that
 * resolves to both a public and an internal address cannot be used either.
 */
export async function checkUrl(raw: string, policy: UrlPolicy): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "only http(s) URLs" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL" };
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  let addresses: string[];
  if (classifyAddress(host)) addresses = [host];
  else if (isLoopbackName(host)) addresses = ["127.0.0.1"];
  else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      return { ok: false, reason: `dns: ${host} does not resolve` };
    }
    if (addresses.length === 0) return { ok: false, reason: `dns: ${host} does not resolve` };
  }
  let allLoopback = true;
  for (const a of addresses) {
    const c = classifyAddress(a);
    if (!c) return { ok: false, reason: `dns: ${host} resolved to ${a}` };
    if (c.loopback && policy.allowLoopback) continue;
    allLoopback = false;
    if (c.blocked) return { ok: false, reason: `${host} is ${c.blocked} (${a})` };
  }
  if (url.protocol === "http:" && !allLoopback) return { ok: false, reason: "https is required" };
  return { ok: true, url, address: addresses[0] };
}
