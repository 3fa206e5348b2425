import type { BenchOptions } from "../lib/options.js";
import type { SuiteResult } from "../lib/results.js";

export async function events(_options: BenchOptions): Promise<SuiteResult> {
  return { name: "events", title: "4. Events", rows: [], notes: [], skipped: "todo" };
}
