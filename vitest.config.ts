import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
const exclude = ["node_modules/**", ".data/**", ".next/**", "supabase/functions/**"];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts", "**/*.e2e.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude,
          environment: "node",
          globalSetup: ["tests/support/global-postgres.ts"],
          setupFiles: ["tests/support/env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two cores: one worker per core; each file has its own database.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          // The migrations applied as on hosted Supabase, then against them
          // the catalog's isolation test, where extensions live, the search
          // that sets pg_trgm's threshold as the app's role, the guards, and
          // every trigger that emits an event, and the job queue.
          name: "hosted",
          include: [
            "tests/isolation.int.test.ts",
            "tests/extensions.int.test.ts",
            "tests/guards.int.test.ts",
            "tests/live-session.int.test.ts",
            "modules/crm/search/search.int.test.ts",
            "modules/webhooks/event-types.int.test.ts",
            "modules/jobs/queue.int.test.ts",
          ],
          exclude,
          environment: "node",
          globalSetup: ["tests/support/global-hosted.ts"],
          setupFiles: ["tests/support/env.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.e2e.test.ts"],
          exclude,
          environment: "node",
          globalSetup: ["tests/support/global-stack.ts"],
          testTimeout: 90_000,
          hookTimeout: 300_000,
          // A journey polls what the page shows; vitest gives up after 1 s by
          // default, which a server action under CI's load can outlast.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
