import type { SpanContext } from "@opentelemetry/api";
import { parseTraceParent as parseByRegex } from "@opentelemetry/core";

/** `00-` + 32 + `-` + 16 + `-` + 2: the length of every traceparent this system writes. */
const canonicalLength = 55;

/** Each lowercase hex digit's value plus one, by character code; 0 for every other character. */
const hexDigits = new Uint8Array(128);
for (let digit = 0; digit < 16; digit++) hexDigits[digit.toString(16).charCodeAt(0)] = digit + 1;

/** The value of a lowercase hex digit (what W3C trace context allows), or -1. */
function hexValue(code: number): number {
  return code < 128 ? hexDigits[code]! - 1 : -1;
}

/** Whether `text[from, to)` is lowercase hex with at least one digit other than 0. */
function nonZeroHex(text: string, from: number, to: number): boolean {
  let all = 1;
  let nonZero = 0;
  for (let i = from; i < to; i++) {
    const value = hexValue(text.charCodeAt(i));
    all &= value >= 0 ? 1 : 0;
    nonZero |= value > 0 ? 1 : 0;
  }
  return (all & nonZero) === 1;
}

/**
 * The span context of a W3C traceparent header, or null when it is refused:
 * the same answer as @opentelemetry/core's parseTraceParent (and so its
 * W3CTraceContextPropagator) for every input. A header of the canonical
 * length (all this system and most others send) is read by position, without
 * its regular expression; any other length (leading or trailing space, a
 * later version's extra fields) goes to OTel's own parser, rare as it is.
 */
export function parseTraceParent(header: string): SpanContext | null {
  if (header.length !== canonicalLength) return parseByRegex(header);
  if (header.charCodeAt(2) !== 45 || header.charCodeAt(35) !== 45 || header.charCodeAt(52) !== 45) return null;
  const version0 = hexValue(header.charCodeAt(0));
  const version1 = hexValue(header.charCodeAt(1));
  // Version ff is invalid; any other version is read as 00 is when nothing follows the flags.
  if (version0 < 0 || version1 < 0 || (version0 === 15 && version1 === 15)) return null;
  if (!nonZeroHex(header, 3, 35) || !nonZeroHex(header, 36, 52)) return null;
  const flags0 = hexValue(header.charCodeAt(53));
  const flags1 = hexValue(header.charCodeAt(54));
  if (flags0 < 0 || flags1 < 0) return null;
  return { traceId: header.slice(3, 35), spanId: header.slice(36, 52), traceFlags: flags0 * 16 + flags1 };
}

/** The traceparent header OTel's W3CTraceContextPropagator writes for a valid span context. */
export function formatTraceParent(spanContext: SpanContext): string {
  const flags = spanContext.traceFlags;
  // OTel writes "0" and the flags in hex, whatever their size: "01" for sampled, "00" for none.
  const flagsText = flags === 1 ? "01" : !flags ? "00" : `0${flags.toString(16)}`;
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flagsText}`;
}
