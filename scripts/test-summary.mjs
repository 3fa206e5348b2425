// Prints `tests: N passed, N failed` from vitest's JSON report, the runner's
// real result (vitest prints no such line itself). Exits 1 when the report is
// missing, has failures, or ran no test at all.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? ".test-results/vitest.json";
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  console.log(`tests: 0 passed, 1 failed (no report at ${file}: ${error.message})`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const suitesFailed = report.numFailedTestSuites ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const line = `tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
if (suitesFailed > 0 && failed === 0) console.log(`(${suitesFailed} test files failed to run)`);
console.log(line);
process.exit(failed > 0 || suitesFailed > 0 || passed === 0 ? 1 : 0);
