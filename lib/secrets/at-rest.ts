import 'server-only';
import { getEnv, type AppConfig } from '@/lib/env';
import { deriveKeyRing, type KeyRing } from './aead';

/**
 * The key ring of one kind of data at rest (onboarding answers, authenticator secrets, the mail outbox…): keys derived
 * from ENCRYPTION_KEY for `purpose` (ENCRYPTION_KEYS_PREVIOUS still open older values), derived once per configuration
 * (tests switch keys by switching the configuration).
 */
export function atRestKeyRing(purpose: string): (env?: AppConfig) => KeyRing {
  let cached: { env: AppConfig; ring: KeyRing } | undefined;
  return (env = getEnv()) => {
    if (cached?.env !== env) cached = { env, ring: deriveKeyRing(env.encryptionKey, env.previousEncryptionKeys, purpose) };
    return cached.ring;
  };
}
