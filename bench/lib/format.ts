import type { BenchReport, ResultRow } from "./results.js";

const number = (value: number | undefined, digits = 0) =>
  value === undefined || Number.isNaN(value) ? "-" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function cells(row: ResultRow): string[] {
  return [
    row.target,
    row.protocol,
    `${number(row.perSecond, row.perSecond < 100 ? 1 : 0)} ${row.unit}/s`,
    number(row.p50Ms, 2),
    number(row.p99Ms, 2),
    number(row.cpuMicrosPerOp, 0),
    row.ratio === undefined ? "-" : `${number(row.ratio, 2)}x`,
    row.errors ? String(row.errors) : "0",
    row.note ?? "",
  ];
}

const header = ["target", "protocol", "throughput", "p50 ms", "p99 ms", "server CPU µs/op", "vs baseline", "errors", "note"];

function machineLine(report: BenchReport): string {
  const { machine, options } = report;
  return `${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.os}, load average ${machine.loadAverage} at start; ${options.connections} connections, ${options.warmupSeconds} s warm-up + ${options.durationSeconds} s measured per target`;
}

/** The table printed on the terminal: aligned plain text. */
export function formatText(report: BenchReport): string {
  const lines = [`OMS bench ${report.startedAt}`, machineLine(report), ""];
  for (const suite of report.suites) {
    lines.push(suite.title);
    if (suite.skipped) {
      lines.push(`  skipped: ${suite.skipped}`, "");
      continue;
    }
    const table = [header, ...suite.rows.map(cells)];
    const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
    for (const row of table) lines.push(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()}`);
    for (const note of suite.notes) lines.push(`  - ${note}`);
    lines.push("");
  }
  return lines.join("\n");
}

/** The same as a Markdown document for bench/results/<date>.md. */
export function formatMarkdown(report: BenchReport): string {
  const lines = [`# OMS bench ${report.startedAt}`, "", machineLine(report), ""];
  for (const suite of report.suites) {
    lines.push(`## ${suite.title}`, "");
    if (suite.skipped) {
      lines.push(`Skipped: ${suite.skipped}`, "");
      continue;
    }
    lines.push(`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`);
    for (const row of suite.rows) lines.push(`| ${cells(row).join(" | ")} |`);
    lines.push("");
    for (const note of suite.notes) lines.push(`- ${note}`);
    if (suite.notes.length) lines.push("");
  }
  return lines.join("\n");
}
