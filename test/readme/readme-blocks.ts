import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One fenced block of README.md: its language, its text, and the `## ` section it sits in. */
export interface ReadmeBlock {
  language: string;
  text: string;
  section: string;
}

const readmePath = join(import.meta.dirname, "../../README.md");

export function readme(): string {
  return readFileSync(readmePath, "utf8");
}

/** Every fenced block, in order, read from the README itself so the test and the page cannot drift apart. */
export function readmeBlocks(): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  let section = "";
  let open: { language: string; lines: string[] } | undefined;
  for (const line of readme().split("\n")) {
    if (open) {
      if (line.startsWith("```")) {
        blocks.push({ language: open.language, text: open.lines.join("\n"), section });
        open = undefined;
      } else open.lines.push(line);
    } else if (line.startsWith("```")) open = { language: line.slice(3).trim(), lines: [] };
    else if (line.startsWith("## ")) section = line.slice(3).trim();
  }
  return blocks;
}

/** The shell commands of a block: continuation lines joined, comments and blank lines left out. */
export function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** A `$ command` block: each command (continuations joined) with the output the README shows under it. */
export function transcriptOf(block: string): Array<{ command: string; output: string }> {
  const steps: Array<{ command: string; output: string[] }> = [];
  let continuing = false;
  for (const line of block.split("\n")) {
    if (line.startsWith("$ ")) {
      steps.push({ command: line.slice(2), output: [] });
      continuing = line.endsWith("\\");
    } else if (continuing) {
      steps.at(-1)!.command += `\n${line}`;
      continuing = line.endsWith("\\");
    } else steps.at(-1)?.output.push(line);
  }
  return steps.map(({ command, output }) => ({ command: commandsOf(command)[0]!, output: output.join("\n") }));
}
