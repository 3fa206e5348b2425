import { celStringSize, celTrim, durationLiteral, sharedRegExp } from "./cel-functions.js";
import type { CelNode } from "./cel-subset-parser.js";

/**
 * The CEL types of the subset. An `int` is a JavaScript number, or a bigint
 * for 64-bit fields (both compare exactly with each other); a `list` only
 * has a size.
 */
export type CelType = "string" | "int" | "double" | "bool" | "list" | "duration";

/** A compiled expression: its type, and a function of `this` that evaluates it. */
export interface Compiled {
  type: CelType;
  evaluate: (self: unknown) => unknown;
}

/** Thrown for anything the subset does not type; compileCel answers undefined. */
export class Untyped extends Error {}

/** Leaves the expression to protovalidate. */
export function refuse(): never {
  throw new Untyped();
}

/** A constant of the subset: a literal, or a duration() of one. */
export function constant(type: CelType, value: unknown): Compiled {
  return { type, evaluate: () => value };
}

/** CEL's functions (`size(x)`, `string(x)`, `duration('60s')`) and methods (`x.size()`, `x.trim()`, `x.matches('...')`) of the subset. */
export function call(name: string, target: Compiled | undefined, args: readonly CelNode[], compile: (argument: CelNode) => Compiled): Compiled {
  const [first, ...rest] = args;
  if (target === undefined) {
    if (first === undefined || rest.length > 0) return refuse();
    if (name === "duration" && first.kind === "string") return constant("duration", durationLiteral(first.value) ?? refuse());
    if (name === "size") return sizeOf(compile(first));
    if (name === "string") return stringOf(compile(first));
    return refuse();
  }
  const value = target.evaluate;
  if (name === "size" && first === undefined) return sizeOf(target);
  if (name === "trim" && first === undefined && target.type === "string") return { type: "string", evaluate: (self) => celTrim(value(self) as string) };
  if (name === "matches" && target.type === "string" && first?.kind === "string" && rest.length === 0) {
    const pattern = sharedRegExp(first.value) ?? refuse();
    return { type: "bool", evaluate: (self) => pattern.test(value(self) as string) };
  }
  return refuse();
}

function sizeOf(target: Compiled): Compiled {
  const value = target.evaluate;
  if (target.type === "string") return { type: "int", evaluate: (self) => celStringSize(value(self) as string) };
  if (target.type === "list") return { type: "int", evaluate: (self) => (value(self) as readonly unknown[]).length };
  return refuse();
}

/** `string(x)`: JavaScript's String gives CEL's text for an int (number or bigint) and a double (`1.5`, `NaN`, `Infinity`, `0` for -0). */
function stringOf(target: Compiled): Compiled {
  const value = target.evaluate;
  if (target.type === "string") return target;
  if (target.type === "int" || target.type === "double") return { type: "string", evaluate: (self) => String(value(self)) };
  return refuse();
}
