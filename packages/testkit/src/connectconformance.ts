import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { usableOrSkipped } from "./skip-or-fail.js";

/** The runner version the conformance config and results were checked with. */
export const connectConformanceVersion = "v1.0.7";
const installHint = `install it with \`go install connectrpc.com/conformance/cmd/connectconformance@${connectConformanceVersion}\` (scripts/test-infra.sh does), or set CONNECTCONFORMANCE_BIN`;

type Lookup = { binary: string } | { reason: string };
let lookup: Lookup | undefined;

/**
 * Finds Connect's conformance runner: $CONNECTCONFORMANCE_BIN, then PATH,
 * then Go's install folders. A binary of another version is refused: the
 * suite's cases (and so the expected count) change between versions.
 */
function findConnectConformance(): Lookup {
  if (lookup) return lookup;
  const goBins = [process.env.GOBIN, process.env.GOPATH && join(process.env.GOPATH, "bin"), join(homedir(), "go", "bin")];
  const folders = [...(process.env.PATH ?? "").split(delimiter), ...goBins].filter((folder): folder is string => !!folder);
  const candidates = [process.env.CONNECTCONFORMANCE_BIN, ...folders.map((folder) => join(folder, "connectconformance"))];
  const binary = candidates.find((path): path is string => !!path && existsSync(path));
  if (!binary) return (lookup = { reason: `connectconformance not found; ${installHint}` });
  const version = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 10_000 }).stdout ?? "";
  if (!version.includes(connectConformanceVersion)) {
    return (lookup = { reason: `${binary} is not ${connectConformanceVersion} (says "${version.trim()}"); ${installHint}` });
  }
  return (lookup = { binary });
}

/** The runner's path; throws why it cannot be used. */
export function connectConformanceBinary(): string {
  const found = findConnectConformance();
  if ("reason" in found) throw new Error(found.reason);
  return found.binary;
}

/**
 * Whether the conformance suite can run here. Under CI a missing runner is an
 * error, never a quiet skip; elsewhere it returns false and says why once,
 * so callers can `describe.skipIf(!connectConformanceAvailable())`.
 */
export function connectConformanceAvailable(): boolean {
  const found = findConnectConformance();
  return usableOrSkipped("Connect conformance", "binary" in found ? undefined : found.reason);
}
