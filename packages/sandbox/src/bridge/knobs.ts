import { KnobSettingsStore, sleep } from '../kit/knobs';
import { z } from 'zod';
import { bridgeError } from './errors';

/** Misbehaviour the sandbox can be told to show on its API routes, as the control API names it. */
export interface KnobSettings {
  latency_ms: number;
  /** Fraction of API calls answered 500. */
  error_rate: number;
  /** Fraction of API calls answered 429 with Retry-After. */
  rate_limit_rate: number;
}

export const knobsUpdateSchema = z.strictObject({
  latency_ms: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number of ms' }).min(0, { error: 'must be 0 to 10000' }).max(10_000, { error: 'must be 0 to 10000' }).optional(),
  error_rate: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 to 1' }).max(1, { error: 'must be 0 to 1' }).optional(),
  rate_limit_rate: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 to 1' }).max(1, { error: 'must be 0 to 1' }).optional(),
});

const OFF: KnobSettings = { latency_ms: 0, error_rate: 0, rate_limit_rate: 0 };
export const RETRY_AFTER_SECONDS = 1;

export class Knobs extends KnobSettingsStore<KnobSettings> {
  /** `random` in [0, 1) decides which calls fail; tests pass a scripted one. */
  constructor(private readonly random: () => number) {
    super(OFF);
  }

  /** Waits the configured latency, then maybe answers in the API's place: 500, or 429 with Retry-After. */
  async apply(): Promise<Response | null> {
    const { latency_ms, error_rate, rate_limit_rate } = this.get();
    if (latency_ms > 0) await sleep(latency_ms);
    // A rate of 0 draws nothing, so a scripted random is spent only where it matters.
    if (error_rate > 0 && this.random() < error_rate) {
      return bridgeError('internal_server_error', 'Simulated failure (sandbox error_rate).');
    }
    if (rate_limit_rate > 0 && this.random() < rate_limit_rate) {
      return bridgeError('too_many_requests', 'Too many requests; retry later (sandbox rate_limit_rate).', { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    }
    return null;
  }
}
