// `npm test`: unit and integration tests on real PostgreSQL, then the
// end-to-end journeys in Chromium against the production build.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// The suite runs on the Node.js the project declares (npm scripts put the
// `node` package's binary first on PATH), so CI tests what production runs.
const declared = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8")).engines.node;
if (`${process.versions.node.split(".")[0]}.x` !== declared) {
  console.error(`npm test runs on Node.js ${declared} (package.json engines); this is ${process.version}. Run it through npm.`);
  process.exit(1);
}

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(os.tmpdir(), "covey-results-"));
const totals = { passed: 0, failed: 0, skipped: 0, failedFiles: 0 };
let exitCode = 0;

function vitest(label: string, projects: string[]) {
  const json = path.join(out, `${label}.json`);
  const args = [
    path.join(root, "node_modules/vitest/vitest.mjs"),
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${json}`,
    ...process.argv.slice(2),
  ];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
  if (r.status !== 0) exitCode = r.status ?? 1;
  try {
    const report = JSON.parse(readFileSync(json, "utf8"));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A file whose set-up throws fails with its tests skipped, not failed,
    // and vitest may still exit 0: the report's suite count says so.
    totals.failedFiles += report.numFailedTestSuites;
    if (!report.success) exitCode ||= 1;
  } catch {
    exitCode ||= 1;
    console.error(`${label}: no test report was written`);
  }
}

vitest("unit-integration", ["unit", "integration", "hosted"]);
if (!process.env.COVEY_SKIP_E2E) vitest("e2e", ["e2e"]);

console.log(
  `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped` +
    (totals.failedFiles ? `; ${totals.failedFiles} suites failed` : ""),
);
// A failed test or suite fails the run even if a runner exited 0.
if (totals.passed === 0 || totals.failed > 0 || totals.failedFiles > 0) exitCode ||= 1;
process.exit(exitCode);
