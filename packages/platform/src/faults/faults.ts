/** The faults a process injects on purpose; every one off (zero) by default. */
export interface FaultSettings {
  /** Share of payments the simulated provider declines. */
  paymentDeclineRate: number;
  /** Extra time each stock RPC takes. */
  stockDelayMs: number;
  /** Share of stock RPCs answered UNAVAILABLE. */
  stockFailureRate: number;
  /** Extra time each kitchen ticket takes to cook. */
  kitchenDelayMs: number;
  /** Share of event publishes that fail as if the broker were unreachable. */
  publishFailureRate: number;
}

export const noFaults: FaultSettings = { paymentDeclineRate: 0, stockDelayMs: 0, stockFailureRate: 0, kitchenDelayMs: 0, publishFailureRate: 0 };

/**
 * The process's fault switches, read where a fault applies, so a change made
 * at run time (FaultService/SetFaults) takes effect on the next call.
 * `random` is injectable so a test or a chaos run can be reproduced.
 */
export class Faults {
  private settings: FaultSettings;

  constructor(
    initial: Partial<FaultSettings> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.settings = { ...noFaults, ...initial };
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  set(changes: Partial<FaultSettings>): Readonly<FaultSettings> {
    this.settings = { ...this.settings, ...changes };
    return this.settings;
  }

  /** Whether this occasion is one of the share `rate` names (false whenever the rate is 0). */
  strikes(rate: keyof Pick<FaultSettings, "paymentDeclineRate" | "stockFailureRate" | "publishFailureRate">): boolean {
    const share = this.settings[rate];
    return share > 0 && this.random() < share;
  }
}
