/**
 * A parser for the part of CEL that OMS's contract rules are written in:
 * `this`, int, double, bool and single- or double-quoted string literals
 * without escapes, list literals, calls (`size(this)`, `this.trim()`),
 * `!`, unary minus on a number, `+`, comparisons, `in`, `&&`, `||` and
 * `? :`. Anything else (escapes, raw strings, bytes, maps, field selection,
 * arithmetic other than `+`, chained comparisons) is refused with
 * `undefined`: the rule is then left to protovalidate, which knows all of CEL.
 */
export type CelNode =
  | { kind: "this" }
  | { kind: "int"; value: number }
  | { kind: "double"; value: number }
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "list"; items: CelNode[] }
  | { kind: "call"; name: string; target: CelNode | undefined; args: CelNode[] }
  | { kind: "not"; operand: CelNode }
  | { kind: "binary"; operator: BinaryOperator; left: CelNode; right: CelNode }
  | { kind: "conditional"; test: CelNode; then: CelNode; otherwise: CelNode };

export type BinaryOperator = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "+";

const tokenPattern = /\s*(?:(\d+\.\d+)|(\d+)|([A-Za-z_][A-Za-z0-9_]*)|'([^'\\\n]*)'|"([^"\\\n]*)"|(\|\||&&|==|!=|<=|>=|[<>!?:+\-().,[\]]))/y;

type Token = { kind: "double" | "int" | "name" | "string" | "symbol"; text: string };

/** The tokens of `source`, or undefined when it holds anything outside the subset. */
function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(tokenPattern.lastIndex))) break;
    const match = tokenPattern.exec(source);
    if (match === null) return undefined;
    const [, double, int, name, single, quoted, symbol] = match;
    if (double !== undefined) tokens.push({ kind: "double", text: double });
    else if (int !== undefined) tokens.push({ kind: "int", text: int });
    else if (name !== undefined) tokens.push({ kind: "name", text: name });
    else if (symbol !== undefined) tokens.push({ kind: "symbol", text: symbol });
    else tokens.push({ kind: "string", text: single ?? quoted ?? "" });
  }
  return tokens;
}

/** Thrown inside the parser for anything outside the subset; parseCelSubset answers undefined. */
class OutsideSubset extends Error {}

/** The syntax tree of a CEL expression in the subset, or undefined when it is not in it. */
export function parseCelSubset(source: string): CelNode | undefined {
  const tokens = tokenize(source);
  if (tokens === undefined) return undefined;
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const isSymbol = (text: string): boolean => peek()?.kind === "symbol" && peek()?.text === text;
  const take = (): Token => {
    const token = tokens[position++];
    if (token === undefined) throw new OutsideSubset();
    return token;
  };
  const expect = (text: string): void => {
    if (!isSymbol(text)) throw new OutsideSubset();
    position++;
  };
  /** Items up to `close`; a list literal may end with a comma, a call's arguments may not. */
  const listed = (close: string): CelNode[] => {
    const items: CelNode[] = [];
    while (!isSymbol(close)) {
      items.push(conditional());
      if (isSymbol(close)) break;
      expect(",");
      if (close === ")" && isSymbol(close)) throw new OutsideSubset();
    }
    position++;
    return items;
  };
  const primary = (): CelNode => {
    const token = take();
    if (token.kind === "int") return { kind: "int", value: safeNumber(token.text) };
    if (token.kind === "double") return { kind: "double", value: Number(token.text) };
    if (token.kind === "string") return { kind: "string", value: token.text };
    if (token.kind === "name") {
      if (isSymbol("(")) return (position++, { kind: "call", name: token.text, target: undefined, args: listed(")") });
      if (token.text === "this") return { kind: "this" };
      if (token.text === "true" || token.text === "false") return { kind: "bool", value: token.text === "true" };
      throw new OutsideSubset();
    }
    if (token.text === "(") return parenthesized();
    if (token.text === "[") return { kind: "list", items: listed("]") };
    throw new OutsideSubset();
  };
  const parenthesized = (): CelNode => {
    const inner = conditional();
    expect(")");
    return inner;
  };
  const member = (): CelNode => {
    let node = primary();
    while (isSymbol(".")) {
      position++;
      const name = take();
      if (name.kind !== "name") throw new OutsideSubset();
      expect("(");
      node = { kind: "call", name: name.text, target: node, args: listed(")") };
    }
    return node;
  };
  const unary = (): CelNode => {
    if (isSymbol("!")) return (position++, { kind: "not", operand: unary() });
    if (isSymbol("-")) {
      position++;
      const literal = member();
      if (literal.kind !== "int" && literal.kind !== "double") throw new OutsideSubset();
      return { ...literal, value: -literal.value };
    }
    return member();
  };
  const leftAssociative = (operators: readonly BinaryOperator[], operand: () => CelNode) => (): CelNode => {
    let node = operand();
    for (let token = peek(); token?.kind === "symbol" && operators.includes(token.text as BinaryOperator); token = peek()) {
      position++;
      node = { kind: "binary", operator: token.text as BinaryOperator, left: node, right: operand() };
    }
    return node;
  };
  const addition = leftAssociative(["+"], unary);
  const relation = (): CelNode => {
    const left = addition();
    const token = peek();
    const operator = token?.kind === "symbol" && ["==", "!=", "<", "<=", ">", ">="].includes(token.text) ? token.text : token?.kind === "name" && token.text === "in" ? "in" : undefined;
    if (operator === undefined) return left;
    position++;
    const node: CelNode = { kind: "binary", operator: operator as BinaryOperator, left, right: addition() };
    if (peek()?.text === "in" || ["==", "!=", "<", "<=", ">", ">="].includes(peek()?.text ?? "")) throw new OutsideSubset();
    return node;
  };
  const and = leftAssociative(["&&"], relation);
  const or = leftAssociative(["||"], and);
  const conditional = (): CelNode => {
    const test = or();
    if (!isSymbol("?")) return test;
    position++;
    const then = or();
    expect(":");
    return { kind: "conditional", test, then, otherwise: conditional() };
  };
  try {
    const tree = conditional();
    return position === tokens.length ? tree : undefined;
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/** An int literal as a number; one a double cannot hold exactly is outside the subset. */
function safeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || (text.length > 1 && text.startsWith("0"))) throw new OutsideSubset();
  return value;
}
