import 'server-only';
import { getEnv } from '@/lib/env';
import { deriveKey, openSecret, sealSecret } from '@/lib/secrets/aead';

// Onboarding secrets and personal data at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY.
// The associated data names the row and column, so a value copied elsewhere cannot be opened.
let key: Buffer | undefined;
function atRestKey(): Buffer {
  key ??= deriveKey(getEnv().encryptionKey, 'onboarding-at-rest');
  return key;
}

export function sealAtRest(value: string, where: string): string {
  return sealSecret(atRestKey(), value, where);
}

export function openAtRest(sealed: string, where: string): string {
  return openSecret(atRestKey(), sealed, where);
}
