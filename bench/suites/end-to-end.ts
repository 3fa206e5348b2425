import type { BenchOptions } from "../lib/options.js";
import type { SuiteResult } from "../lib/results.js";

export async function endToEnd(_options: BenchOptions): Promise<SuiteResult> {
  return { name: "e2e", title: "3. End to end", rows: [], notes: [], skipped: "todo" };
}
