import { z } from 'zod';

// Test knobs: misbehaviour a simulator shows on its API calls when told to through the control API.
// Both simulators have latency and an error rate; each adds its own (Bridge: a rate limit and an IP
// allow-list; Finqware: a clock offset).

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const TEN_YEARS_MS = 10 * 366 * 24 * 60 * 60 * 1000;

/** The control API's field schemas, shared so that both simulators accept and refuse the same values with the same words. */
export const knobFields = {
  latencyMs: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of ms' })
    .min(0, { error: 'must be 0 to 10000' })
    .max(10_000, { error: 'must be 0 to 10000' }),
  /** A fraction of calls, 0 to 1. */
  rate: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 to 1' }).max(1, { error: 'must be 0 to 1' }),
  clockOffsetMs: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of ms' })
    .min(-TEN_YEARS_MS, { error: 'must be within ten years' })
    .max(TEN_YEARS_MS, { error: 'must be within ten years' }),
};

/** Settings that start off and can be changed or reset. */
export class KnobSettingsStore<T extends object> {
  private settings: T;

  constructor(private readonly off: T) {
    this.settings = { ...off };
  }

  get(): T {
    return { ...this.settings };
  }

  /** Applies the changes given (undefined leaves a setting as it is; null is a value) and returns the settings in force. */
  update(changes: Partial<T>): T {
    this.settings = { ...this.settings, ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) };
    return this.get();
  }

  reset(): void {
    this.settings = { ...this.off };
  }
}

/** The knobs every simulator has. */
export interface CommonKnobSettings {
  latency_ms: number;
  /** Fraction of API calls answered 500. */
  error_rate: number;
}

/** Knobs read on every API call: the latency, then the error rate, then whatever the provider adds (`misbehave`). */
export class SimulatorKnobs<T extends CommonKnobSettings> extends KnobSettingsStore<T> {
  /** `random` in [0, 1) decides which calls fail; tests pass a scripted one. `internalError` is the provider's 500. */
  constructor(
    off: T,
    private readonly random: () => number,
    private readonly internalError: (message: string) => Response,
  ) {
    super(off);
  }

  /** True for a fraction `rate` of calls. A rate of 0 draws nothing, so a scripted random is spent only where it matters. */
  protected hits(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  /** What the provider adds after the error rate; null to let the call through. */
  protected misbehave(settings: T): Response | null {
    void settings;
    return null;
  }

  /** Waits the configured latency, then maybe answers in the API's place. */
  async apply(): Promise<Response | null> {
    const settings = this.get();
    if (settings.latency_ms > 0) await sleep(settings.latency_ms);
    if (this.hits(settings.error_rate)) return this.internalError('Simulated failure (sandbox error_rate).');
    return this.misbehave(settings);
  }
}
