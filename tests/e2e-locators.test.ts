// Browser journeys read text, labels, placeholders and test ids through
// shown(page) (tests/support/browser.ts): a page-wide locator also matches
// the hidden copy React keeps of a streamed Suspense boundary until it swaps
// it in, and Playwright's strict mode then fails the step at random.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const dir = path.resolve(import.meta.dirname, "e2e");

it("no journey reads text, labels or test ids from the whole page", () => {
  const found: string[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    fs.readFileSync(path.join(dir, name), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (/\b\w*[pP]age\.(getByText|getByLabel|getByPlaceholder|getByTestId)\(/.test(line)) found.push(`${name}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(found).toEqual([]);
});
