import 'server-only';
import { and, eq, gt } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { totpAuthenticators } from '@/lib/db/schema';
import { getEnv, type AppConfig } from '@/lib/env';
import { resealSource, uuidKeyedColumn, type ResealTally, type SealedSource } from '@/lib/secrets/rotation';
import { atRestKeyRing } from '@/lib/secrets/at-rest';

// Authenticator app secrets at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY for this purpose only,
// bound to their row, and sealed again by `npm run rotate-keys` after a key rotation.

const PURPOSE = 'two-factor-at-rest';
const where = (id: string) => `totp_authenticators.secret:${id}`;

const ring = atRestKeyRing(PURPOSE);

export const sealTotpSecret = (id: string, secret: string) => ring().seal(secret, where(id));
export const openTotpSecret = (id: string, sealed: string) => ring().open(sealed, where(id)).value;

function totpSecretColumn(db: Database): SealedSource {
  return uuidKeyedColumn(
    'totp_authenticators.secret_sealed',
    where,
    (after, limit) =>
      db
        .select({ id: totpAuthenticators.id, sealed: totpAuthenticators.secretSealed })
        .from(totpAuthenticators)
        .where(after ? gt(totpAuthenticators.id, after) : undefined)
        .orderBy(totpAuthenticators.id)
        .limit(limit),
    (id, from, to) =>
      db
        .update(totpAuthenticators)
        .set({ secretSealed: to })
        .where(and(eq(totpAuthenticators.id, id), eq(totpAuthenticators.secretSealed, from)))
        .returning({ id: totpAuthenticators.id }),
  );
}

/** Seals every authenticator secret again under the current key (npm run rotate-keys). */
export function resealTotpSecrets(db: Database, env: AppConfig = getEnv(), options: { batchSize?: number } = {}): Promise<ResealTally> {
  return resealSource(totpSecretColumn(db), ring(env), options);
}
