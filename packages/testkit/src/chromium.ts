import { existsSync } from "node:fs";
import { usableOrSkipped } from "./skip-or-fail.js";

/** Debian's chromium (scripts/test-infra.sh installs it), or CHROMIUM_BIN: playwright-core drives it, nothing is downloaded. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
}

/** Whether the browser tests can run here; under CI a missing chromium fails instead. */
export function chromiumAvailable(): boolean {
  const path = chromiumPath();
  return usableOrSkipped("the browser tests", existsSync(path) ? undefined : `${path} not found; install it with \`apt-get install chromium\` (scripts/test-infra.sh does), or set CHROMIUM_BIN`);
}

/** Headless as root in a container, quiet: no sandbox (root), no GPU, no background traffic. */
export const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];
