/** Latency samples in milliseconds, kept whole so percentiles are exact rather than bucketed. */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private count = 0;

  record(milliseconds: number): void {
    if (this.count === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.count++] = milliseconds;
  }

  get size(): number {
    return this.count;
  }

  /** p50 and p99 in milliseconds (0 when nothing was recorded). */
  percentiles(): { p50: number; p99: number } {
    const sorted = this.samples.slice(0, this.count).sort();
    const at = (fraction: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!);
    return { p50: at(0.5), p99: at(0.99) };
  }
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` value). */
export function millisecondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
