// `npm run bench [-- name...]`: runs every benchmark in bench/ (each file
// other than this one and `_`-prefixed helpers, default-exporting an async
// function that prints its figures and returns them), and writes each
// result to bench/results/<name>.json. Benchmarks are not tests: a missed
// target is printed, never turned into a failing exit code.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type Benchmark = () => Promise<Record<string, unknown>>;

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_") && !f.endsWith(".d.ts"))
  .filter((f) => only.length === 0 || only.includes(path.basename(f, ".ts")))
  .sort();

if (files.length === 0) {
  console.error(`No benchmarks matched ${only.join(", ") || "(none in bench/)"}`);
  process.exit(1);
}

const resultsDir = path.join(dir, "results");
mkdirSync(resultsDir, { recursive: true });

for (const file of files) {
  const name = path.basename(file, ".ts");
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: Benchmark };
  if (typeof mod.default !== "function") {
    console.error(`bench/${file}: no default export to run; skipped`);
    continue;
  }
  console.log(`\n== bench: ${name} ==`);
  const started = Date.now();
  const result = await mod.default();
  const out = path.join(resultsDir, `${name}.json`);
  writeFileSync(out, JSON.stringify({ name, ...result, durationSeconds: (Date.now() - started) / 1000 }, null, 2) + "\n");
  console.log(`== ${name}: ${((Date.now() - started) / 1000).toFixed(1)} s, wrote ${path.relative(process.cwd(), out)} ==`);
}
