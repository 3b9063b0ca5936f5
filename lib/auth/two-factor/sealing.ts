import 'server-only';
import { and, eq, gt } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { totpAuthenticators } from '@/lib/db/schema';
import { getEnv, type AppConfig } from '@/lib/env';
import { deriveKeyRing, type KeyRing } from '@/lib/secrets/aead';
import { resealSource, type ResealTally, type SealedSource } from '@/lib/secrets/rotation';

// Authenticator app secrets at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY for this purpose only,
// bound to their row, and sealed again by `npm run rotate-keys` after a key rotation.

const PURPOSE = 'two-factor-at-rest';
const where = (id: string) => `totp_authenticators.secret:${id}`;

let cached: { env: AppConfig; ring: KeyRing } | undefined;
function ring(env: AppConfig = getEnv()): KeyRing {
  if (cached?.env !== env) cached = { env, ring: deriveKeyRing(env.encryptionKey, env.previousEncryptionKeys, PURPOSE) };
  return cached.ring;
}

export const sealTotpSecret = (id: string, secret: string) => ring().seal(secret, where(id));
export const openTotpSecret = (id: string, sealed: string) => ring().open(sealed, where(id)).value;

function totpSecretColumn(db: Database): SealedSource {
  return {
    name: 'totp_authenticators.secret_sealed',
    async next(cursor, limit) {
      const rows = await db
        .select({ id: totpAuthenticators.id, sealed: totpAuthenticators.secretSealed })
        .from(totpAuthenticators)
        .where(cursor ? gt(totpAuthenticators.id, cursor) : undefined)
        .orderBy(totpAuthenticators.id)
        .limit(limit);
      return { values: rows.map((row) => ({ ...row, aad: where(row.id) })), cursor: rows.length === limit ? rows.at(-1)!.id : undefined };
    },
    async replace(value, resealed) {
      const updated = await db
        .update(totpAuthenticators)
        .set({ secretSealed: resealed })
        .where(and(eq(totpAuthenticators.id, value.id), eq(totpAuthenticators.secretSealed, value.sealed)))
        .returning({ id: totpAuthenticators.id });
      return updated.length === 1;
    },
  };
}

/** Seals every authenticator secret again under the current key (npm run rotate-keys). */
export function resealTotpSecrets(db: Database, env: AppConfig = getEnv(), options: { batchSize?: number } = {}): Promise<ResealTally> {
  return resealSource(totpSecretColumn(db), ring(env), options);
}
