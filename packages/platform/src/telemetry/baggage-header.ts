import type { Baggage, BaggageEntry } from "@opentelemetry/api";

/** W3C baggage limits, as @opentelemetry/core applies them. */
const maxPairs = 180;
const maxPairLength = 4096;
const maxHeaderLength = 8192;

/**
 * Whether a baggage header is plain: only visible ASCII, with no percent
 * escapes, no entry properties (`;`) and no spaces. Such a header reads the
 * same with or without OTel's trimming, URI decoding and metadata parsing,
 * so parsePlainBaggage can skip them; the rest goes to OTel's propagator.
 */
export function isPlainBaggage(header: string): boolean {
  for (let i = 0; i < header.length; i++) {
    const code = header.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f || code === 0x25 /* % */ || code === 0x3b /* ; */) return false;
  }
  return true;
}

/**
 * The entries of a plain baggage header (isPlainBaggage), or undefined when
 * none is kept: what @opentelemetry/core's W3CBaggagePropagator keeps from
 * it, with its limits (180 pairs, 4096 characters a pair, 8192 in all), and
 * an entry without a key or a value skipped.
 */
export function parsePlainBaggage(header: string): Record<string, BaggageEntry> | undefined {
  // A plain object, as OTel builds it: createBaggage reads it with Object.entries.
  const entries: Record<string, BaggageEntry> = {};
  let count = 0;
  let totalLength = 0;
  let start = 0;
  while (start < header.length && count < maxPairs) {
    const comma = header.indexOf(",", start);
    const end = comma === -1 ? header.length : comma;
    const length = end - start;
    const equals = header.indexOf("=", start);
    // A key before the "=", a value after it, both within this entry.
    if (length <= maxPairLength && equals > start && equals < end - 1) {
      const size = (count === 0 ? 0 : 1) + length;
      if (totalLength + size > maxHeaderLength) break;
      entries[header.slice(start, equals)] = { value: header.slice(equals + 1, end) };
      count++;
      totalLength += size;
    }
    if (comma === -1) break;
    start = comma + 1;
  }
  return count === 0 ? undefined : entries;
}

/**
 * The baggage header OTel's W3CBaggagePropagator writes for `baggage`:
 * `key=value` pairs, URI-encoded, with their metadata; pairs longer than 4096
 * characters dropped, the first 180 of the rest kept, and each added while
 * the header stays within 8192 characters. Empty when nothing is kept.
 */
export function serializeBaggage(baggage: Baggage): string {
  let header = "";
  let pairs = 0;
  for (const [key, entry] of baggage.getAllEntries()) {
    let pair = `${encodeURIComponent(key)}=${encodeURIComponent(entry.value)}`;
    if (entry.metadata !== undefined) pair += ";" + entry.metadata.toString();
    if (pair.length > maxPairLength) continue;
    if (pairs === maxPairs) break;
    pairs++;
    const longer = header === "" ? pair : `${header},${pair}`;
    if (longer.length <= maxHeaderLength) header = longer;
  }
  return header;
}
