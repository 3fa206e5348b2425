import { create, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { DurationSchema, FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";

/**
 * Request messages for the differential tests of the request rules, made
 * from the message's descriptor alone: every field gets edge values of its
 * kind (empty, white space of every sort, lengths around each limit the
 * contracts use, in ASCII, two-unit characters and lone surrogates, numbers
 * around every bound, NaN and infinities, unknown enum numbers, durations
 * that are not normalized, lists around their limits).
 */

/** A small seeded generator (mulberry32), so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const lengths = [0, 1, 2, 3, 25, 26, 27, 63, 64, 65, 79, 80, 81, 99, 100, 101, 127, 128, 129, 499, 500, 501];
const spaces = [" ", "\t", "\n", "\r", "\v", "\f", "\u0085", "\u00a0", "\u1680", "\u2003", "\u2028", "\u202f", "\u3000", "\ufeff", "\u200b"];

/** Edge strings: ids, currency codes, lengths around every limit, white space, characters outside the BMP, lone surrogates. */
export const stringValues: readonly string[] = [
  "",
  "a",
  "EUR",
  "eur",
  "EU",
  "EURO",
  "E1R",
  "ÉUR",
  "EUR\n",
  "01KDVDNA008K7ESVVT02SXGT1B",
  "01KDVDNA008K7ESVVT02SXGT1",
  "01KDVDNA008K7ESVVT02SXGT1BX",
  "01KDVDNA008K7ESVVT02SXGTIB",
  "01KDVDNA008K7ESVVT02SXGTUB",
  "01kdvdna008k7esvvt02sxgt1b",
  "01KDVDNA008K7ESVVT02SXGT1B\n",
  " 01KDVDNA008K7ESVVT02SXGT1B",
  ...spaces,
  ...spaces.map((space) => `${space}x${space}`),
  spaces.join(""),
  ...lengths.flatMap((length) => ["k".repeat(length), "é".repeat(length), "😀".repeat(length), `${" ".repeat(length)}n`, `n${"\u00a0".repeat(length)}`]),
  "\ud800",
  "\udc00x",
  "\ud800".repeat(129),
  "😀".repeat(64) + "\ud83d",
];

const int32Values = [0, 1, -1, 2, 19, 20, 21, 50, 51, 99, 100, 101, 102, -99999, -100000, -100001, 99999, 100000, 100001, 2147483647, -2147483648];
const int64Values = [0n, 1n, -1n, 100n, 950n, 9223372036854775807n, -9223372036854775808n, 9007199254740993n];
const doubleValues = [0, -0, 0.5, 1, 1.5, 1.0000000000000002, 0.9999999999999999, -0.0001, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 1e-7, 5e-324, 0.1 + 0.2];
const durations = [
  [0n, 0],
  [60n, 0],
  [60n, 1],
  [59n, 999_999_999],
  [61n, 0],
  [-1n, 0],
  [0n, -1],
  [0n, 1],
  [60n, -5],
  [-1n, 999_999_999],
  [315_576_000_001n, 0],
  [9_223_372_036n, 854_775_807],
  [0n, 2_000_000_000],
] as const;

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

/** Every edge value for a field of this kind, once each (for a list: lists around the limits). */
export function edgeValues(field: DescField, random: () => number, depth: number): readonly unknown[] {
  switch (field.fieldKind) {
    case "scalar":
      return scalarValues(field.scalar, random);
    case "enum":
      return [...field.enum.values.map((value) => value.number), -1, 4, 7, 1000, 2147483647, -2147483648];
    case "message":
      if (field.message.typeName === DurationSchema.typeName) return [undefined, ...durations.map(([seconds, nanos]) => create(DurationSchema, { seconds, nanos }))];
      return [undefined, create(field.message), ...Array.from({ length: 6 }, () => randomMessage(field.message, random, depth + 1))];
    case "list": {
      const item = () => (field.listKind === "message" ? randomMessage(field.message, random, depth + 1) : field.listKind === "enum" ? pick(random, field.enum.values).number : pick(random, scalarValues(field.scalar, random)));
      return [0, 1, 2, 3, 49, 50, 51, 99, 100, 101].map((length) => Array.from({ length }, item));
    }
    case "map":
      return [{}];
  }
}

/** Strings most requests carry, drawn half the time so that random messages often keep every rule. */
const plainStrings = ["", "Margherita", "EUR", "01KDVDNA008K7ESVVT02SXGT1B"];

function scalarValues(scalar: ScalarType, random?: () => number): readonly unknown[] {
  switch (scalar) {
    case ScalarType.STRING:
      return random !== undefined && random() < 0.5 ? plainStrings : stringValues;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return doubleValues;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return int64Values;
    case ScalarType.BOOL:
      return [true, false];
    default:
      return int32Values;
  }
}

/** A message with a random edge value in each field (a random unset or set for fields with presence; shallower lists below the top). */
export function randomMessage(schema: DescMessage, random: () => number, depth = 0): Message {
  if (schema.typeName === DurationSchema.typeName) {
    const [seconds, nanos] = pick(random, durations);
    return create(DurationSchema, { seconds, nanos });
  }
  const init: Record<string, unknown> = {};
  for (const field of schema.fields) {
    if (depth > 2 && field.fieldKind !== "scalar" && field.fieldKind !== "enum") continue;
    const value = pick(random, edgeValues(field, random, depth));
    const skip = (field.fieldKind === "scalar" && field.presence !== FeatureSet_FieldPresence.IMPLICIT && random() < 0.3) || (field.fieldKind === "list" && depth > 0 && random() < 0.7);
    if (!skip && value !== undefined) init[field.localName] = value;
  }
  return create(schema, init as never);
}

/**
 * The message with one field changed to each of its edge values, for every
 * field, and likewise inside its set message fields and the last message of
 * its lists: from a message that keeps every rule, each rule is met alone.
 */
export function oneFieldVariants(schema: DescMessage, base: Message, random: () => number): Message[] {
  const record = base as unknown as Record<string, unknown>;
  const variants: Message[] = [];
  // A shallow copy is a message of the same type: protobuf-es messages are plain objects.
  const replaced = (field: DescField, value: unknown) => ({ ...record, [field.localName]: value }) as unknown as Message;
  for (const field of schema.fields) {
    for (const value of edgeValues(field, random, 1)) variants.push(replaced(field, value));
    const current = record[field.localName];
    if (field.fieldKind === "message" && current !== undefined && field.message.typeName !== DurationSchema.typeName) {
      for (const inner of oneFieldVariants(field.message, current as Message, random)) variants.push(replaced(field, inner));
    }
    if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(current) && current.length > 0) {
      const items = current as Message[];
      for (const inner of oneFieldVariants(field.message, items[items.length - 1] as Message, random)) variants.push(replaced(field, [...items.slice(0, -1), inner]));
    }
  }
  return variants;
}
