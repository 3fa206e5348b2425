/**
 * Request bodies for the bad-input corpus, each with the codes that are right
 * for it. Every target method's request has one string field (`id`) or one
 * repeated string field (`itemIds`) as field 1.
 */

/** Any of these answers is acceptable for input that is well formed (whatever the domain makes of it). */
export const wellFormed = ["ok", "invalid_argument", "not_found"];

/** Whole bodies that are not a JSON object of the message: invalid_argument, or a well-formed answer where JSON allows it. */
export const jsonBodies: Array<[string, string | Buffer, readonly string[]]> = [
  ["an empty body", "", wellFormed],
  ["whitespace", "  \n", ["invalid_argument"]],
  ["an unclosed object", "{", ["invalid_argument"]],
  ["a cut-off value", '{"id":', ["invalid_argument"]],
  ["an array", "[]", ["invalid_argument"]],
  ["a string", '"hello"', ["invalid_argument"]],
  ["a number", "42", ["invalid_argument"]],
  ["true", "true", ["invalid_argument"]],
  ["null", "null", wellFormed],
  ["trailing garbage", "{}x", ["invalid_argument"]],
  ["a trailing comma", '{"id":"a",}', ["invalid_argument"]],
  ["single quotes", "{'id':'a'}", ["invalid_argument"]],
  ["two objects", "{}{}", ["invalid_argument"]],
  ["NaN", "NaN", ["invalid_argument"]],
  ["a byte-order mark", "\ufeff{}", wellFormed],
  ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), ["invalid_argument"]],
  ["deep nesting", "[".repeat(100_000), ["invalid_argument"]],
  ["deeply nested objects", '{"a":'.repeat(50_000), ["invalid_argument"]],
  ["an unknown field", '{"colour":"blue"}', ["invalid_argument"]],
  ["__proto__", '{"__proto__":{"polluted":true}}', ["invalid_argument"]],
  ["constructor", '{"constructor":{"prototype":{}}}', ["invalid_argument"]],
];

/** Values for the request's field 1; `any` where the value has the field's JSON type, else invalid_argument. */
export const fieldValues: Array<[string, string, { string: readonly string[]; list: readonly string[] }]> = [
  ["a number", "1", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["a float", "1.5", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["a boolean", "true", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["an object", "{}", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["a list of numbers", "[1]", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["a list with null", "[null]", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["nested lists", "[[]]", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["huge exponent", "1e400", { string: ["invalid_argument"], list: ["invalid_argument"] }],
  ["null", "null", { string: wellFormed, list: wellFormed }],
  ["a string", '"x"', { string: wellFormed, list: ["invalid_argument"] }],
  ["a list of strings", '["x"]', { string: ["invalid_argument"], list: wellFormed }],
  ["a NUL character", '"\\u0000"', { string: wellFormed, list: ["invalid_argument"] }],
  ["a lone surrogate", '"\\ud800"', { string: wellFormed, list: ["invalid_argument"] }],
  ["200 KB of text", JSON.stringify("x".repeat(200_000)), { string: wellFormed, list: ["invalid_argument"] }],
  ["10,000 ids", JSON.stringify(Array.from({ length: 10_000 }, (_, index) => `id-${index}`)), { string: ["invalid_argument"], list: wellFormed }],
];

/** Protobuf binary bodies; each target's field 1 is a string (or repeated string). */
export const binaryBodies: Array<[string, Buffer, readonly string[]]> = [
  ["a valid message", Buffer.from([0x0a, 0x01, 0x78]), wellFormed],
  ["an empty message", Buffer.alloc(0), wellFormed],
  ["garbage", Buffer.from([0xff, 0xff, 0xff, 0xff]), ["invalid_argument"]],
  ["a length past the end", Buffer.from([0x0a, 0x05, 0x61, 0x62]), ["invalid_argument"]],
  ["a varint that never ends", Buffer.from([0x08, ...Array(11).fill(0xff)]), ["invalid_argument"]],
  ["a huge length", Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), ["invalid_argument"]],
  ["a negative length", Buffer.from([0x0a, ...Array(9).fill(0xff), 0x01]), ["invalid_argument"]],
  ["field number 0", Buffer.from([0x02, 0x01, 0x78]), ["invalid_argument"]],
  ["wire type 6", Buffer.from([0x0e, 0x01]), ["invalid_argument"]],
  ["wire type 7", Buffer.from([0x0f, 0x01]), ["invalid_argument"]],
  ["an end-group without a start", Buffer.from([0x0c]), ["invalid_argument"]],
  ["a group never ended", Buffer.from([0x0b]), ["invalid_argument"]],
  ["100,000 nested groups", Buffer.alloc(100_000, 0x0b), ["invalid_argument"]],
  ["a varint where a string belongs", Buffer.from([0x08, 0x01]), wellFormed],
  ["invalid UTF-8 in a string", Buffer.from([0x0a, 0x02, 0xc3, 0x28]), wellFormed],
  ["an unknown field", Buffer.from([0x78, 0x01]), wellFormed],
  ["a 500 KB unknown field", Buffer.concat([Buffer.from([0x7a, 0x80, 0xa0, 0x1e]), Buffer.alloc(500_000, 0x61)]), wellFormed],
  ["10,000 repeated ids", Buffer.concat(Array.from({ length: 10_000 }, () => Buffer.from([0x0a, 0x01, 0x78]))), wellFormed],
];
