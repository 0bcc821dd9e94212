import { describe, expect, it } from "vitest";
import { scrubForwarded, trustedProxies } from "./forwarded";

const forged = () => ({
  host: "app.test",
  "x-forwarded-host": "evil.test",
  "x-forwarded-proto": "https",
  "x-forwarded-for": "203.0.113.9",
  "x-real-ip": "203.0.113.9",
  forwarded: "for=203.0.113.9;host=evil.test",
});

describe("trusted proxies", () => {
  it("trust nobody when unset", () => {
    const none = trustedProxies(undefined);
    expect(none.configured).toBe(false);
    expect(none.trusts("127.0.0.1")).toBe(false);
    expect(trustedProxies("  ").configured).toBe(false);
  });

  it("match addresses and CIDR ranges, IPv4-mapped peers included", () => {
    const list = trustedProxies("10.0.0.0/8, 192.168.1.7, fd00::/8");
    expect(list.configured).toBe(true);
    expect(list.trusts("10.1.2.3")).toBe(true);
    expect(list.trusts("::ffff:10.1.2.3")).toBe(true);
    expect(list.trusts("192.168.1.7")).toBe(true);
    expect(list.trusts("192.168.1.8")).toBe(false);
    expect(list.trusts("fd12::1")).toBe(true);
    expect(list.trusts("2001:db8::1")).toBe(false);
    expect(list.trusts(undefined)).toBe(false);
  });

  it("* trusts every peer", () => {
    expect(trustedProxies("*").trusts("198.51.100.1")).toBe(true);
  });

  it("refuse a setting that is not an address or range, naming it", () => {
    expect(() => trustedProxies("10.0.0.0/8, proxy.internal")).toThrow(/"proxy.internal"/);
    expect(() => trustedProxies("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
  });
});

describe("scrubForwarded", () => {
  it("drops forwarded headers from an untrusted peer and names the peer as the client", () => {
    const headers: Record<string, string | undefined> = forged();
    scrubForwarded(headers, "198.51.100.1", trustedProxies("10.0.0.0/8"));
    expect(headers).toEqual({ host: "app.test", "x-forwarded-for": "198.51.100.1" });
  });

  it("keeps what a trusted proxy wrote", () => {
    const headers: Record<string, string | undefined> = forged();
    scrubForwarded(headers, "10.0.0.2", trustedProxies("10.0.0.0/8"));
    expect(headers).toEqual(forged());
  });
});
