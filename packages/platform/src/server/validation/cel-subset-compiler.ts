import { celStringSize, celTrim, compareDurations, durationLiteral, sharedRegExp, type DurationValue } from "./cel-functions.js";
import type { BinaryOperator, CelNode } from "./cel-subset-parser.js";

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
class Untyped extends Error {}

function refuse(): never {
  throw new Untyped();
}

/**
 * Compiles a parsed expression for a `this` of the given type into plain
 * JavaScript closures, typing it as CEL's checker would; undefined when
 * anything in it is outside the subset or would be a CEL type error (then
 * protovalidate evaluates the rule, and reports that error itself).
 */
export function compileCel(node: CelNode, thisType: CelType): Compiled | undefined {
  try {
    return compile(node, thisType);
  } catch (error) {
    if (error instanceof Untyped) return undefined;
    throw error;
  }
}

function compile(node: CelNode, thisType: CelType): Compiled {
  switch (node.kind) {
    case "this":
      return { type: thisType, evaluate: (self) => self };
    case "int":
    case "double":
    case "string":
    case "bool":
      return constant(node.kind, node.value);
    case "list":
      return refuse();
    case "not": {
      const operand = typed(compile(node.operand, thisType), "bool");
      return { type: "bool", evaluate: (self) => !(operand(self) as boolean) };
    }
    case "conditional": {
      const test = typed(compile(node.test, thisType), "bool");
      const then = compile(node.then, thisType);
      const otherwise = typed(compile(node.otherwise, thisType), then.type);
      return { type: then.type, evaluate: (self) => ((test(self) as boolean) ? then.evaluate(self) : otherwise(self)) };
    }
    case "binary":
      return node.operator === "in" ? membership(node.left, node.right, thisType) : binary(node.operator, compile(node.left, thisType), compile(node.right, thisType));
    case "call":
      return call(node.name, node.target && compile(node.target, thisType), node.args, thisType);
  }
}

function constant(type: CelType, value: unknown): Compiled {
  return { type, evaluate: () => value };
}

/** The evaluate function of an expression that must have `type`. */
function typed(compiled: Compiled, type: CelType): (self: unknown) => unknown {
  return compiled.type === type ? compiled.evaluate : refuse();
}

const comparable: Record<string, readonly CelType[]> = {
  "==": ["string", "int", "double", "bool"],
  "!=": ["string", "int", "double", "bool"],
  "<": ["int", "double", "duration"],
  "<=": ["int", "double", "duration"],
  ">": ["int", "double", "duration"],
  ">=": ["int", "double", "duration"],
};

type Comparison = (left: never, right: never) => boolean;

/** JavaScript's operators give CEL's answer for these types: `==` on a number and a bigint is exact, NaN is unequal and unordered. */
const comparisons: Record<string, Comparison> = {
  "==": (left: unknown, right: unknown) => left == right,
  "!=": (left: unknown, right: unknown) => left != right,
  "<": (left: number, right: number) => left < right,
  "<=": (left: number, right: number) => left <= right,
  ">": (left: number, right: number) => left > right,
  ">=": (left: number, right: number) => left >= right,
};

function binary(operator: Exclude<BinaryOperator, "in">, left: Compiled, right: Compiled): Compiled {
  const leftValue = left.evaluate;
  const rightValue = typed(right, left.type);
  if (operator === "&&" || operator === "||") {
    typed(left, "bool");
    return operator === "&&"
      ? { type: "bool", evaluate: (self) => (leftValue(self) as boolean) && rightValue(self) }
      : { type: "bool", evaluate: (self) => leftValue(self) || rightValue(self) };
  }
  if (operator === "+") {
    typed(left, "string");
    return { type: "string", evaluate: (self) => (leftValue(self) as string) + (rightValue(self) as string) };
  }
  if (!comparable[operator]?.includes(left.type)) return refuse();
  const compare = comparisons[operator] as (left: unknown, right: unknown) => boolean;
  if (left.type === "duration") return { type: "bool", evaluate: (self) => compare(compareDurations(leftValue(self) as DurationValue, rightValue(self) as DurationValue), 0) };
  return { type: "bool", evaluate: (self) => compare(leftValue(self), rightValue(self)) };
}

/** `x in [literals]`: the list must be literals of x's type (int or string), so membership is a Set lookup. */
function membership(element: CelNode, list: CelNode, thisType: CelType): Compiled {
  const value = compile(element, thisType);
  if (list.kind !== "list" || (value.type !== "int" && value.type !== "string")) return refuse();
  const members = new Set(list.items.map((item) => ((item.kind === "int" || item.kind === "string") && item.kind === value.type ? item.value : refuse())));
  const evaluate = value.evaluate;
  return value.type === "int"
    ? { type: "bool", evaluate: (self) => members.has(Number(evaluate(self))) }
    : { type: "bool", evaluate: (self) => members.has(evaluate(self) as string) };
}

/** CEL's functions (`size(x)`, `string(x)`, `duration('60s')`) and methods (`x.size()`, `x.trim()`, `x.matches('...')`) of the subset. */
function call(name: string, target: Compiled | undefined, args: readonly CelNode[], thisType: CelType): Compiled {
  const [first, ...rest] = args;
  if (target === undefined) {
    if (first === undefined || rest.length > 0) return refuse();
    if (name === "duration" && first.kind === "string") return constant("duration", durationLiteral(first.value) ?? refuse());
    if (name === "size") return sizeOf(compile(first, thisType));
    if (name === "string") return stringOf(compile(first, thisType));
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
