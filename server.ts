// The Covey server: one Node HTTP server for the whole app. Requests to the
// REST API (`/api/v1/*`) are answered straight from the operations table
// (modules/api/router.ts), the same handlers the Next route files export,
// without the page pipeline (proxy, render) that every other request needs:
// that pipeline alone would cap the API at a few hundred requests per second
// per core. Everything else goes to Next.js.
//
// Production builds only: `npm run dev` runs `next dev`, where the route
// files under app/api/v1 serve the API (and reload on edit), as they do on
// hosts that run Next without this server (e.g. Vercel).
import { createServer } from "node:http";
import path from "node:path";
import next from "next";
import { scrubForwarded, trustedProxies } from "./lib/http/forwarded.ts";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";
// Read before Next starts, so a bad setting stops the server at once.
const proxies = trustedProxies(process.env.TRUSTED_PROXIES);

const app = next({ dev: false, dir: path.resolve(import.meta.dirname), port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

// Imported after Next has loaded .env files into process.env.
const { API_PREFIX, routeApiRequest } = await import("./modules/api/router.ts");
const { serveApi } = await import("./lib/http/node-api.ts");
const { apiSecurityHeaders } = await import("./lib/http/security-headers.ts");
const { log } = await import("./lib/log.ts");
const apiOptions = {
  headers: apiSecurityHeaders({ https: (process.env.APP_URL ?? "").startsWith("https:") }),
  fallbackHost: `localhost:${port}`,
};

const apiPrefix = `${API_PREFIX}/`;
const server = createServer((req, res) => {
  // Before anything reads them: Next.js fills in X-Forwarded-* from the
  // socket when they are absent, and its server-action origin check reads them.
  scrubForwarded(req.headers, req.socket.remoteAddress, proxies);
  const url = req.url ?? "/";
  if (url.startsWith(apiPrefix) || url === API_PREFIX) {
    serveApi(req, res, routeApiRequest, apiOptions).catch((err) => {
      log.error({ err }, "api response failed");
      res.destroy();
    });
    return;
  }
  handle(req, res).catch((err) => {
    log.error({ err }, "request failed");
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
server.listen(port, hostname, () => log.info({ port }, "covey listening"));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    app.close().finally(() => process.exit(0));
  });
}
