import { z } from 'zod';
import { knobFields, SimulatorKnobs } from '../kit/knobs';
import { finqwareError } from './errors';

/** Misbehaviour the sandbox can be told to show on its API routes, as the control API names it. */
export interface KnobSettings {
  latency_ms: number;
  /** Fraction of API calls answered 500. */
  error_rate: number;
  /** Added to the sandbox's clock for nonces, temp tokens and consents (not for request signatures). */
  clock_offset_ms: number;
}

export const knobsUpdateSchema = z.strictObject({
  latency_ms: knobFields.latencyMs.optional(),
  error_rate: knobFields.rate.optional(),
  clock_offset_ms: knobFields.clockOffsetMs.optional(),
});

const OFF: KnobSettings = { latency_ms: 0, error_rate: 0, clock_offset_ms: 0 };

/** Latency and error_rate act on API calls (../kit/knobs.ts); the clock offset is read by the state's clock. */
export class Knobs extends SimulatorKnobs<KnobSettings> {
  /** `random` in [0, 1) decides which calls fail; tests pass a scripted one. */
  constructor(random: () => number) {
    super(OFF, random, (message) => finqwareError('internal_error', message));
  }
}
