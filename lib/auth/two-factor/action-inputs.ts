import 'server-only';
import { z } from 'zod';
import { invalidFields, refused, type ActionFailure } from '@/lib/actions/result';
import { messageRef } from '@/lib/i18n/message-ref';
import { translator } from '@/lib/i18n/server';
import type { FactorAdded } from './factors';

// What the actions that add a second factor read and answer, at login (REQUIRE_2FA) and on the security page alike.

export const totpCodeInput = z.object({
  code: z
    .string()
    .trim()
    .min(1, { error: messageRef('twoFactor.errors.codeRequired') })
    .max(20),
});

export const passkeyInput = z.object({
  passkey: z.string().min(1).max(20_000),
  name: z.string().trim().max(60).default(''),
});

/** A factor that could not be added: the code's own sentence next to it, or the passkey's next to its button. */
export function factorAddedResult(added: Extract<FactorAdded, { ok: false }>, factor: 'totp' | 'passkey'): ActionFailure {
  if (factor === 'passkey') return refused('invalid_input', messageRef('twoFactor.passkeys.failed'));
  if (added.reason === 'not_started') return refused('conflict', messageRef('twoFactor.totp.notStarted'));
  return invalidFields({ code: [messageRef('twoFactor.errors.wrongCode')] });
}

/** The name the user gave the passkey, or "Passkey" in their language. */
export async function passkeyName(typed: string): Promise<string> {
  return typed || (await translator('twoFactor'))('passkeys.defaultName');
}
