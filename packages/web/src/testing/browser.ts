// Browser-test support: Debian's chromium driven by playwright-core (playwright's own browser
// downloads cannot reach their hosts here), and axe-core for WCAG checks.
import { existsSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";

export type { Browser, Page } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}. Install it with "apt-get install -y chromium" (Debian), or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
  });
}

/**
 * WCAG 2.1 A/AA violations on the page as readable lines (empty when there are none).
 * Legacy mode runs axe once in the page (`axe.run`) instead of a partial run per frame plus a new blank
 * page for `finishRun`: the same rules and results for our pages, which have no frames, in about half
 * the time (a page check took 1.5-4 s of a browser test before).
 */
export async function wcagViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).setLegacyMode(true).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}
