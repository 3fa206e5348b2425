import type { RuleViolation } from "@oms/platform/server";

/** What a request check gave, thrown errors included, in a form two checks' answers can be compared by. */
export type Outcome = { passes: true } | RuleViolation | { error: string };

export function outcome(check: () => RuleViolation | undefined): Outcome {
  try {
    return check() ?? { passes: true };
  } catch (error) {
    return { error: String(error) };
  }
}
