/**
 * CEL's functions as @bufbuild/cel 0.6.1 and protovalidate 1.3.0 define
 * them, for the values OMS's rules apply them to. Each one gives exactly
 * what the CEL library gives (the differential tests run both).
 */

/** The white space `trim()` removes: the strings extension's Unicode set (not JavaScript's trim, which has U+FEFF and lacks U+0085). */
const whiteSpace = new Set([
  0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
  0x202f, 0x205f, 0x3000,
]);

/** `string.trim()` of the CEL strings extension. */
export function celTrim(text: string): string {
  let start = 0;
  let end = text.length - 1;
  while (start < text.length && whiteSpace.has(text.charCodeAt(start))) start++;
  while (end > start && whiteSpace.has(text.charCodeAt(end))) end--;
  return start === 0 && end === text.length - 1 ? text : text.substring(start, end + 1);
}

const surrogate = /[\uD800-\uDFFF]/;

/** `size(string)`: code points, as `[...text].length` counts them (a lone surrogate is one); a string without surrogates is its length. */
export function celStringSize(text: string): number {
  if (!surrogate.test(text)) return text.length;
  let size = 0;
  for (let index = 0; index < text.length; index++, size++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
  }
  return size;
}

/** A google.protobuf.Duration as CEL compares it: the message's own seconds and nanos, not normalized. */
export interface DurationValue {
  seconds: bigint;
  nanos: number;
}

/** CEL's duration ordering: seconds first, then nanos, on the values as they are. */
export function compareDurations(left: DurationValue, right: DurationValue): number {
  const seconds = left.seconds - right.seconds;
  if (seconds === 0n) return left.nanos - right.nanos;
  return seconds < 0n ? -1 : 1;
}

const nanosPerUnit: Record<string, bigint> = { h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };

/** `duration('60s')` for a whole number of one unit; undefined for any other form (left to CEL). */
export function durationLiteral(text: string): DurationValue | undefined {
  const match = /^(\d{1,12})(h|m|s|ms|us|ns)$/.exec(text);
  if (match === null) return undefined;
  const [, amount = "", unit = ""] = match;
  const nanos = BigInt(amount) * (nanosPerUnit[unit] ?? 0n);
  return { seconds: nanos / 1_000_000_000n, nanos: Number(nanos % 1_000_000_000n) };
}

/**
 * `matches(pattern)` as a JavaScript RegExp, for the patterns whose meaning
 * RE2 and JavaScript share: anchors only at the ends, ASCII letters, digits
 * and `_`, classes of those (with ranges, not negated) and counted or
 * `* + ?` repetition. Undefined for any other pattern (left to RE2).
 */
export function sharedRegExp(pattern: string): RegExp | undefined {
  const atom = String.raw`(?:[A-Za-z0-9_]|\[[A-Za-z0-9_-]+\])`;
  const repetition = String.raw`(?:\{\d{1,3}(?:,\d{0,3})?\}|[*+?])?`;
  if (!new RegExp(`^\\^?(?:${atom}${repetition})*\\$?$`).test(pattern)) return undefined;
  return new RegExp(pattern, "u");
}
