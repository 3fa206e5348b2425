import { mkdirSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { chromiumArgs, chromiumPath } from "@oms/testkit/chromium";

/** Where screenshots of each page go: a test artifact, git-ignored. */
export const screenshotDir = join(process.cwd(), ".test-results", "screenshots");

export function launchChromium(): Promise<Browser> {
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs });
}

/** The page's console errors and uncaught exceptions, to be none at the end. */
export interface WatchedPage {
  page: Page;
  problems: string[];
}

/**
 * A new tab that records console errors and page errors. A 4xx answer the
 * page turns into words (a refused order) still makes Chromium log "Failed
 * to load resource": those are the page working, not failing, and are left out.
 */
export async function openPage(context: BrowserContext, url: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(url);
  return { page, problems };
}

/** Axe on the page as it is now: no serious or critical violation. Then a screenshot named `name`. */
export async function checkPage(page: Page, name: string): Promise<void> {
  // WCAG 2.1 A and AA, the rules serious and critical findings come from; best-practice rules are left to review.
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const grave = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(grave.map((violation) => `${name}: ${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
