import { readFile } from "node:fs/promises";

/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, or `pnpm bench --cpu-prof=DIR`):
 * self time by function and by package, and inclusive time of chosen functions,
 * so the costliest parts of a hot path can be named with numbers.
 * Usage: node --import tsx bench/tools/profile-summary.ts FILE.cpuprofile [top=25] [functionName ...]
 * (each functionName gets its inclusive time: samples with it anywhere on the stack).
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** node_modules/.pnpm/<name>@<version>/... -> name; node:internal -> "node"; else the workspace folder. */
function packageOf(url: string): string {
  if (!url) return "(native/vm)";
  if (url.startsWith("node:")) return "node (core)";
  const pnpm = /node_modules\/\.pnpm\/(@?[^@/]+(?:\+[^@/]+)?)@/.exec(url);
  if (pnpm) return pnpm[1]!.replace("+", "/");
  const workspace = /\/work\/main\/(packages\/[^/]+|bench)\//.exec(url);
  return workspace ? workspace[1]! : url;
}

const [file, topArg, ...watched] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary.ts FILE.cpuprofile [top]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
const idle = [...selfMicros].filter(([id]) => ["(idle)", "(program)", "(garbage collector)"].includes(byId.get(id)!.callFrame.functionName));
const percent = (micros: number) => `${((micros / total) * 100).toFixed(1).padStart(5)}%`;

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const inclusive = new Map<string, number>();
const watchedInclusive = new Map<string, number>(watched.map((name) => [name, 0]));
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || "(anonymous)"}  ${packageOf(url)}${url ? `:${lineNumber + 1}` : ""}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + micros);
  // Inclusive time per package: each sample counts once for every package on its stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = packageOf(byId.get(at)!.callFrame.url);
    if (!seen.has(name)) {
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
      seen.add(name);
    }
    const functionName = byId.get(at)!.callFrame.functionName;
    if (watchedInclusive.has(functionName) && !seen.has(`fn:${functionName}`)) {
      watchedInclusive.set(functionName, watchedInclusive.get(functionName)! + micros);
      seen.add(`fn:${functionName}`);
    }
  }
}
const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]);
const lines = [
  `${file}: ${(total / 1e6).toFixed(2)} s sampled; idle/program/gc: ${idle.map(([id, micros]) => `${byId.get(id)!.callFrame.functionName} ${percent(micros)}`).join(", ")}`,
  "",
  "self time by package:",
  ...sorted(byPackage).slice(0, 15).map(([name, micros]) => `  ${percent(micros)}  ${name}`),
  "",
  "inclusive time by package (a sample counts for every package on its stack):",
  ...sorted(inclusive).slice(0, 15).map(([name, micros]) => `  ${percent(micros)}  ${name}`),
  "",
  ...(watched.length ? ["inclusive time of chosen functions:", ...[...watchedInclusive].map(([name, micros]) => `  ${percent(micros)}  ${name}`), ""] : []),
  `top ${top} functions by self time:`,
  ...sorted(byFunction).slice(0, top).map(([name, micros]) => `  ${percent(micros)}  ${name}`),
];
process.stdout.write(`${lines.join("\n")}\n`);
