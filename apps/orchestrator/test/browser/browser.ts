import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Flags for this machine's closed network: without the background-networking ones Chromium
 * keeps dialling Google's hosts. Playwright adds `--headless` and a fresh `--user-data-dir`.
 */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts the one headless Chromium the browser tests share. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A page in a context of its own (own cookies), sized like a desktop or a 390 px phone. */
export async function openPage(browser: Browser, size: "desktop" | "phone" = "desktop"): Promise<Page> {
  const context: BrowserContext = await browser.newContext(
    size === "phone"
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } },
  );
  // Generous on a loaded 2-core machine: every wait is on a condition, none on a time.
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(90_000);
  const page = await context.newPage();
  // Every console error and CSP violation fails loudly in the test's output.
  page.on("pageerror", (error) => process.stderr.write(`page error: ${error.message}\n`));
  return page;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** An axe-core scan of the page: the serious and critical violations (id, impact, where). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  // Evaluated over the DevTools protocol: the page's CSP (script-src 'self') would refuse a <script> tag.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
    const results = await axe.run();
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact ?? "", targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

interface AxeResults {
  violations: { id: string; impact?: string | null; nodes: { target: string[] }[] }[];
}
