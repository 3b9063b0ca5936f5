import { KnobSettingsStore, sleep } from '../kit/knobs';
import { z } from 'zod';
import { finqwareError } from './errors';

/** Misbehaviour the sandbox can be told to show on its API routes, as the control API names it. */
export interface KnobSettings {
  latency_ms: number;
  /** Fraction of API calls answered 500. */
  error_rate: number;
  /** Added to the sandbox's clock for nonces, temp tokens and consents (not for request signatures). */
  clock_offset_ms: number;
}

const TEN_YEARS_MS = 10 * 366 * 24 * 60 * 60 * 1000;

export const knobsUpdateSchema = z.strictObject({
  latency_ms: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number of ms' }).min(0, { error: 'must be 0 to 10000' }).max(10_000, { error: 'must be 0 to 10000' }).optional(),
  error_rate: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 to 1' }).max(1, { error: 'must be 0 to 1' }).optional(),
  clock_offset_ms: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of ms' })
    .min(-TEN_YEARS_MS, { error: 'must be within ten years' })
    .max(TEN_YEARS_MS, { error: 'must be within ten years' })
    .optional(),
});

const OFF: KnobSettings = { latency_ms: 0, error_rate: 0, clock_offset_ms: 0 };

export class Knobs extends KnobSettingsStore<KnobSettings> {
  /** `random` in [0, 1) decides which calls fail; tests pass a scripted one. */
  constructor(private readonly random: () => number) {
    super(OFF);
  }

  /** Waits the configured latency, then maybe answers 500 in the API's place. */
  async apply(): Promise<Response | null> {
    const { latency_ms, error_rate } = this.get();
    if (latency_ms > 0) await sleep(latency_ms);
    // A rate of 0 draws nothing, so a scripted random is spent only where it matters.
    if (error_rate > 0 && this.random() < error_rate) {
      return finqwareError('internal_error', 'Simulated failure (sandbox error_rate).');
    }
    return null;
  }
}
