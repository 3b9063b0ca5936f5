import 'server-only';
import { bridgeErrorBodySchema } from '@guidepost/provider-contracts/bridge';

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
