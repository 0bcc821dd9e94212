// The files in public/: served by the production build to anyone (a browser
// asks for the icon before anyone signs in), with the content types browsers
// and crawlers rely on, and linked from every page's head.
import { describe, expect, it } from "vitest";
import { appUrl } from "../support/browser";

const get = (path: string) => fetch(appUrl(path), { redirect: "manual" });

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): [number, number] {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.subarray(0, 8)]).toEqual(signature);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

describe("public files", () => {
  it.each([
    ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)$/],
    ["/icon.svg", /^image\/svg\+xml/],
    ["/apple-touch-icon.png", /^image\/png$/],
    ["/icon-192.png", /^image\/png$/],
    ["/icon-512.png", /^image\/png$/],
    ["/icon-maskable-512.png", /^image\/png$/],
    ["/manifest.webmanifest", /^application\/manifest\+json/],
    ["/robots.txt", /^text\/plain/],
  ])("%s is served without signing in, as %s", async (path, type) => {
    const res = await get(path);
    expect([res.status, res.headers.get("content-type")]).toEqual([200, expect.stringMatching(type)]);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it("the icons have the sizes they are declared with", async () => {
    const png = async (path: string) => pngSize(new Uint8Array(await (await get(path)).arrayBuffer()));
    expect(await png("/apple-touch-icon.png")).toEqual([180, 180]);
    expect(await png("/icon-192.png")).toEqual([192, 192]);
    expect(await png("/icon-512.png")).toEqual([512, 512]);
    const ico = new DataView(await (await get("/favicon.ico")).arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), then the image count.
    expect([ico.getUint16(0, true), ico.getUint16(2, true), ico.getUint16(4, true)]).toEqual([0, 1, 3]);
  });

  it("the manifest names the app and every icon it lists is served as declared", async () => {
    const manifest = await (await get("/manifest.webmanifest")).json();
    expect(manifest).toMatchObject({ name: "Covey", start_url: "/", display: "standalone" });
    for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
      const res = await get(icon.src);
      expect([icon.src, res.status, res.headers.get("content-type")]).toEqual([icon.src, 200, expect.stringContaining(icon.type)]);
      if (icon.type === "image/png") {
        const [w, h] = pngSize(new Uint8Array(await res.arrayBuffer()));
        expect([icon.src, `${w}x${h}`]).toEqual([icon.src, icon.sizes]);
      }
    }
  });

  it("robots.txt keeps every crawler out", async () => {
    const lines = (await (await get("/robots.txt")).text()).split("\n").map((l) => l.trim());
    expect(lines).toContain("User-agent: *");
    expect(lines).toContain("Disallow: /");
  });

  it("pages link the icons and the manifest, and ask not to be indexed", async () => {
    const html = await (await get("/sign-in")).text();
    const head = html.slice(0, html.indexOf("</head>"));
    expect(head).toMatch(/<link rel="manifest" href="\/manifest.webmanifest"/);
    expect(head).toMatch(/<link rel="icon" href="\/favicon.ico"/);
    expect(head).toMatch(/<link rel="icon" href="\/icon.svg" type="image\/svg\+xml"/);
    expect(head).toMatch(/<link rel="apple-touch-icon" href="\/apple-touch-icon.png"/);
    expect(head).toMatch(/<meta name="robots" content="noindex, nofollow"/);
  });
});
