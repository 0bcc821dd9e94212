// Starts the whole embedded runtime (production build) once for the
// end-to-end run, on its own ports and a throwaway data directory.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../supabase/local/postgres.ts";
import { startStack } from "../../supabase/local/start.ts";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    adminDbUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-e2e-"));
  chmodSync(dir, 0o755);
  const stack = await startStack({
    dataDir: dir,
    // The app and API ports are part of the build (public env), so fixed;
    // below the kernel's ephemeral range, where no outgoing connection can
    // hold them. Nothing needs the database's port in advance. Two runs on
    // one machine set COVEY_E2E_APP_PORT / COVEY_E2E_API_PORT apart.
    appPort: Number(process.env.COVEY_E2E_APP_PORT ?? 3100),
    apiPort: Number(process.env.COVEY_E2E_API_PORT ?? 31421),
    dbPort: await freePort(),
    seed: true,
    appStdio: process.env.COVEY_E2E_APP_LOG ? "inherit" : "ignore",
    log: (l) => console.log(`[e2e stack] ${l}`),
  });
  project.provide("appUrl", stack.appUrl);
  project.provide("adminDbUrl", stack.adminDbUrl);
  return async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
