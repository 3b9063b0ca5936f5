import 'server-only';
import type { z } from 'zod';
import { BridgeError } from './errors';

import { bridgeErrorBodySchema } from '@guidepost/provider-contracts/bridge';

/** Checks a parsed response; a mismatch is an invalid_response that never carries the body. */
export function parseBridgeResponse<T>(schema: z.ZodType<T>, value: unknown, status?: number): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BridgeError('invalid_response', status === undefined ? {} : { status });
  return parsed.data;
}

/** Bridge's error type from an error body, when there is one; anything unreadable gives undefined. */
export function bridgeErrorType(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    const parsed = bridgeErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.type : undefined;
  } catch {
    return undefined;
  }
}
