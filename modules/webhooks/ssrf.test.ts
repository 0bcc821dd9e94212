import { describe, expect, it } from "vitest";
import { checkUrl, classifyAddress, parseIPv6 } from "./ssrf.ts";

const dns: Record<string, string[]> = {
  "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
  "metadata.internal": ["169.254.169.254"],
  "split.example.com": ["93.184.215.14", "10.1.2.3"],
  "mapped.example.com": ["::ffff:127.0.0.1"],
};
const resolve = async (host: string) => {
  if (!dns[host]) throw new Error("NXDOMAIN");
  return dns[host];
};
const production = { allowLoopback: false, resolve };
const embedded = { allowLoopback: true, resolve };

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "a loopback address"],
    ["10.20.30.40", "a private address"],
    ["172.31.255.255", "a private address"],
    ["192.168.1.1", "a private address"],
    ["169.254.169.254", "a link-local address (cloud metadata)"],
    ["100.64.0.1", "a shared (CGNAT) address"],
    ["0.0.0.0", "a reserved address"],
    ["224.0.0.1", "a multicast address"],
    ["::1", "a loopback address"],
    ["::", "the unspecified address"],
    ["::ffff:127.0.0.1", "a loopback address"],
    ["::ffff:7f00:1", "a loopback address"],
    ["::ffff:a9fe:a9fe", "a link-local address (cloud metadata)"],
    ["64:ff9b::a00:1", "a private address"],
    ["2002:a00:1::", "a private address"],
    ["fd00:ec2::254", "a unique local address"],
    ["fe80::1%eth0", "a link-local address"],
    ["ff02::1", "a multicast address"],
    ["::7f00:1", "a reserved address"],
  ])("%s is %s", (address, why) => {
    expect(classifyAddress(address)?.blocked).toBe(why);
  });

  it.each(["93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "2a00:1450:4001:82b::200e"])(
    "%s is public",
    (address) => {
      expect(classifyAddress(address)?.blocked).toBeNull();
    },
  );

  it("parses IPv6 forms and rejects malformed ones", () => {
    expect(parseIPv6("[::1]")).toEqual([...Array(15).fill(0), 1]);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toHaveLength(16);
    expect(parseIPv6("1::2::3")).toBeNull();
    expect(parseIPv6("1:2:3:4:5:6:7:8:9")).toBeNull();
    expect(parseIPv6("1:2:3:4::5:6:7:8")).toBeNull();
    expect(parseIPv6("::gggg")).toBeNull();
    expect(classifyAddress("example.com")).toBeNull();
  });
});

describe("checkUrl", () => {
  it("accepts public https hosts, naming the checked address to connect to", async () => {
    expect(await checkUrl("https://hooks.example.com/covey", production)).toMatchObject({ ok: true, address: "93.184.215.14" });
    expect(await checkUrl("https://93.184.215.14/x", production)).toMatchObject({ ok: true, address: "93.184.215.14" });
  });

  it("refuses internal addresses however they are spelled", async () => {
    for (const url of [
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://0x7f.0.0.1/",
      "https://017700000001/",
      "https://localhost/",
      "https://app.localhost/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://169.254.169.254/latest/meta-data/",
      "https://metadata.internal/",
      "https://10.0.0.5:8443/",
      "https://[fd00::1]/",
      "https://mapped.example.com/",
    ]) {
      const r = await checkUrl(url, production);
      expect(r.ok, url).toBe(false);
    }
  });

  it("refuses a name if any of its addresses is internal", async () => {
    expect(await checkUrl("https://split.example.com/", production)).toEqual({
      ok: false,
      reason: "split.example.com is a private address (10.1.2.3)",
    });
  });

  it("requires https in production and allows loopback http only in the embedded runtime", async () => {
    expect(await checkUrl("http://hooks.example.com/", production)).toEqual({ ok: false, reason: "https is required" });
    expect(await checkUrl("http://127.0.0.1:4000/hooks", production)).toMatchObject({ ok: false });
    expect(await checkUrl("http://127.0.0.1:4000/hooks", embedded)).toMatchObject({ ok: true });
    expect(await checkUrl("http://localhost:4000/hooks", embedded)).toMatchObject({ ok: true, address: "127.0.0.1" });
    expect(await checkUrl("http://[::1]:4000/hooks", embedded)).toMatchObject({ ok: true, address: "::1" });
    expect(await checkUrl("http://hooks.example.com/", embedded)).toEqual({ ok: false, reason: "https is required" });
    expect(await checkUrl("https://10.0.0.5/", embedded)).toMatchObject({ ok: false });
    expect(await checkUrl("https://169.254.169.254/", embedded)).toMatchObject({ ok: false });
  });

  it("refuses other schemes, credentials and names that do not resolve", async () => {
    expect(await checkUrl("ftp://hooks.example.com/", production)).toMatchObject({ ok: false });
    expect(await checkUrl("https://user:pw@hooks.example.com/", production)).toMatchObject({ ok: false });
    expect(await checkUrl("https://nowhere.example.com/", production)).toEqual({
      ok: false,
      reason: "dns: nowhere.example.com does not resolve",
    });
    expect(await checkUrl("not a url", production)).toMatchObject({ ok: false });
  });
});
