import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { usableOrSkipped } from "./skip-or-fail.js";

/** Where grpcurl lives: `GRPCURL`, then PATH, then Go's install folder (scripts/test-infra.sh installs it there). */
function findGrpcurl(): string | undefined {
  const explicit = process.env.GRPCURL;
  if (explicit) return explicit;
  const goBins = [process.env.GOBIN, process.env.GOPATH && join(process.env.GOPATH, "bin"), join(homedir(), "go", "bin")];
  const folders = [...(process.env.PATH ?? "").split(delimiter), ...goBins].filter((folder): folder is string => !!folder);
  return folders.map((folder) => join(folder, "grpcurl")).find((candidate) => existsSync(candidate));
}

/** Whether grpcurl tests can run (the test kit's skip-or-fail rule). */
export function grpcurlAvailable(): boolean {
  return usableOrSkipped("grpcurl tests", findGrpcurl() ? undefined : "grpcurl not found: scripts/test-infra.sh installs it, or set GRPCURL");
}

/** Runs grpcurl with `args` and resolves with what it printed; rejects with its error output when it fails. */
export async function grpcurl(...args: string[]): Promise<string> {
  const binary = findGrpcurl();
  if (!binary) throw new Error("grpcurl not found: scripts/test-infra.sh installs it, or set GRPCURL");
  const { stdout } = await promisify(execFile)(binary, args);
  return stdout;
}
