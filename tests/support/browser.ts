import { execSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect, inject } from "vitest";

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync("which chromium", { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
  }
}

/** Debian's Chromium, headless, without the background traffic this machine refuses. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export const appUrl = (p = "/") => new URL(p, inject("appUrl")).toString();

/** Fails on serious or critical accessibility violations, listing them. */
export async function expectAccessible(page: Page) {
  // Colour contrast is measured on what is painted: let entrance transitions
  // (a toast sliding in, a dialog fading) finish first. Spinners loop forever
  // and are not waited for.
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 2000)),
    ]),
  );
  // Next streams a page's <title> in with its metadata, and a refresh after
  // a server action can scan between the old head and the new: give it a
  // moment (a page that really has no title still fails below).
  await page.waitForFunction(() => document.title.trim() !== "", undefined, { timeout: 5000 }).catch(() => undefined);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`),
  ).toEqual([]);
}

/** The newest link in the dev mailbox sent to `to` (optionally of one kind). */
export async function latestMailLink(page: Page, to: string, tag?: string): Promise<string> {
  // The mail is sent by a job, after whatever the test did returned: the
  // mailbox page is a snapshot, so load it again until the mail is there.
  const mail = page.locator(`[data-testid="mail"]${tag ? `[data-tag="${tag}"]` : ""}`).first();
  await expect
    .poll(
      async () => {
        await page.goto(appUrl(`/dev/mailbox?to=${encodeURIComponent(to)}`));
        return mail.count();
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  const href = await mail.locator("a").first().getAttribute("href");
  if (!href) throw new Error(`no link in the latest email to ${to}`);
  return href;
}

/** Every seeded account's password (supabase/seed.sql). */
export const DEMO_PASSWORD = "covey-demo-1234";

/** A short suffix that makes names and addresses unique per run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/** Waits until the page shows `path` (ignoring the query string). */
export function waitForPath(page: Page, path: string) {
  return page.waitForURL((url) => url.pathname === path);
}

/**
 * The password input on /sign-in. (The "Password" tab panel is labelled
 * "Password" too, so the label alone is ambiguous.)
 */
export function signInPasswordInput(page: Page) {
  return page.getByRole("textbox", { name: "Password", exact: true });
}

/** Signs in with a password on /sign-in and waits for the dashboard. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto(appUrl("/sign-in"));
  await page.getByLabel("Email", { exact: true }).fill(email);
  await signInPasswordInput(page).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await waitForPath(page, "/");
  await page.getByRole("heading", { level: 1, name: /^Welcome, / }).waitFor();
}

/**
 * Signs a new owner up with a new organization through /sign-up, following
 * the emailed confirmation link when the deployment asks for one, and waits
 * for the dashboard's welcome. (The onboarding journey spells these steps
 * out; other journeys start from here.)
 */
export async function signUpOwner(page: Page, owner: { name: string; email: string; password: string }, orgName: string) {
  await page.goto(appUrl("/sign-up"));
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Organization").fill(orgName);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByRole("button", { name: "Create organization" }).click();
  const welcome = page.getByRole("heading", { level: 1, name: `Welcome, ${owner.name.split(" ")[0]}` });
  const confirmEmail = page.getByRole("status").filter({ hasText: "to confirm your address" });
  await welcome.or(confirmEmail).waitFor();
  if (await confirmEmail.isVisible()) await page.goto(await latestMailLink(page, owner.email, "signup"));
  await welcome.waitFor();
}

/** Signs out through the user menu in the top bar and waits for /sign-in. */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: /^Account menu for / }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await waitForPath(page, "/sign-in");
}

/**
 * Waits until a drag-and-drop list announces `text` to screen readers
 * (dnd-kit's live region): the drag has started, moved or ended, so the next
 * key acts on the state it announced.
 */
export function dndAnnounced(page: Page, text: string | RegExp) {
  return page.locator('[id^="DndLiveRegion"]').filter({ hasText: text }).waitFor({ state: "attached" });
}

/**
 * Waits until `name` is being dragged. Picking up announces "Picked up …",
 * at once replaced by where it is over, which may be all that renders.
 */
export function dndPickedUp(page: Page, name: string) {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return dndAnnounced(page, new RegExp(`Picked up ${n}\\b|${n} (is over|moved to) `));
}

/** What a step after sign-up or sign-in relies on: the dashboard, in `orgName`. */
export async function expectDashboardOf(page: Page, orgName: string) {
  expect(new URL(page.url()).pathname).toBe("/");
  await expect.poll(() => page.getByRole("banner").getByText(orgName, { exact: true }).isVisible()).toBe(true);
}

/**
 * What a person sees of the page: every top-level element but the hidden
 * containers React streams a Suspense boundary's content into. React keeps
 * that content there, hidden, until it swaps it in (up to a few hundred
 * milliseconds, as it batches reveals), so a page-wide text or label locator
 * would match it twice and fail Playwright's strict mode. Role locators skip
 * hidden elements by themselves; text, label, placeholder and test-id
 * locators start from here.
 */
export function shown(page: Page) {
  return page.locator("body > :not([hidden])");
}
