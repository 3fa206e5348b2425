import type { Attributes, Meter, MetricOptions } from "@opentelemetry/api";

/** One series of a SummedCounter: its attributes, made once, and its total. */
interface Series {
  readonly attributes: Attributes;
  total: number;
}

/**
 * A monotonic counter for the per-message path, summed here and handed to
 * the SDK when metrics are collected (an observable counter). The SDK's
 * Counter sorts and serializes its attributes on every add to find the
 * series; here a series is found by the two strings it is named by, and its
 * attributes are made once. Readers see the same as from a Counter of the
 * same name: a cumulative monotonic sum per series (Prometheus `_total`),
 * a series present from its first add, even of 0.
 */
export class SummedCounter {
  private readonly series = new Map<string, Map<string, Series>>();

  constructor(
    meter: Meter,
    name: string,
    options: MetricOptions,
    private readonly attributesOf: (first: string, second: string) => Attributes,
  ) {
    meter.createObservableCounter(name, options).addCallback((result) => {
      for (const inner of this.series.values()) for (const { attributes, total } of inner.values()) result.observe(total, attributes);
    });
  }

  /** Adds `value` (0 or more) to the series named by `first` and `second`. */
  add(value: number, first: string, second: string): void {
    let inner = this.series.get(first);
    if (!inner) this.series.set(first, (inner = new Map<string, Series>()));
    const series = inner.get(second);
    if (series) series.total += value;
    else inner.set(second, { attributes: this.attributesOf(first, second), total: value });
  }
}
