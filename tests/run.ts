// `npm test`: unit and integration tests on real PostgreSQL, then the
// end-to-end journeys in Chromium against the production build.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(os.tmpdir(), "covey-results-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

/** Runs vitest on `projects`; its exit status and JSON report (null when none was written). */
function runVitest(label: string, projects: string[]) {
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
  let report: { numTotalTests: number; numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests?: number } | null = null;
  try {
    report = JSON.parse(readFileSync(json, "utf8"));
  } catch {
    report = null;
  }
  return { status: r.status, report };
}

function vitest(label: string, projects: string[]) {
  let run = runVitest(label, projects);
  // Once, a CI run's e2e vitest found no test files at all (its file search
  // came back empty; the same clone found all 15 files on the next run). A
  // run that finds nothing is run once more; failing tests are never re-run.
  if (run.report && run.report.numTotalTests === 0 && process.argv.length <= 2) {
    console.error(`${label}: vitest found no tests; running it once more`);
    run = runVitest(label, projects);
  }
  if (run.status !== 0) exitCode = run.status ?? 1;
  if (!run.report) {
    exitCode ||= 1;
    console.error(`${label}: no test report was written`);
    return;
  }
  totals.passed += run.report.numPassedTests;
  totals.failed += run.report.numFailedTests;
  totals.skipped += run.report.numPendingTests + (run.report.numTodoTests ?? 0);
}

vitest("unit-integration", ["unit", "integration"]);
if (!process.env.COVEY_SKIP_E2E) vitest("e2e", ["e2e"]);

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
// A failed test fails the run even if a runner exited 0.
if (totals.passed === 0 || totals.failed > 0) exitCode ||= 1;
process.exit(exitCode);
