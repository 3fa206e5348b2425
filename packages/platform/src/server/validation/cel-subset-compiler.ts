import { compareDurations, type DurationValue } from "./cel-functions.js";
import { call, constant, refuse, Untyped, type CelType, type Compiled } from "./cel-subset-calls.js";
import type { BinaryOperator, CelNode } from "./cel-subset-parser.js";

export type { CelType } from "./cel-subset-calls.js";

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
      return call(node.name, node.target && compile(node.target, thisType), node.args, (argument) => compile(argument, thisType));
  }
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
