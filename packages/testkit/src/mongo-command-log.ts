import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RecordedCommand } from "./index-use.js";

/**
 * What a process's MongoDB clients sent, counted by the driver's own command
 * monitoring: `environment(file)` makes a child process append one line per
 * command to `file`, and `read(file)` gives them back (for `unservedQueries`
 * too). For counts on the real wire protocol, e.g. how often an idle service asks.
 */
export const mongoCommandLog = {
  /** Environment for the child: its NODE_OPTIONS preloads the counter (keeping any NODE_OPTIONS already set). */
  environment(file: string, inherited = process.env.NODE_OPTIONS): Record<string, string> {
    const preload = join(fileURLToPath(new URL(".", import.meta.url)), "mongo-command-log-preload.ts");
    return { OMS_MONGO_COMMAND_LOG: file, NODE_OPTIONS: [inherited, `--import "${preload}"`].filter(Boolean).join(" ") };
  },
  /** The commands logged so far, oldest first (none when the file is not there yet). */
  read(file: string): RecordedCommand[] {
    try {
      return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as RecordedCommand);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  },
};
