import 'server-only';
import { and, eq, gt, isNotNull, or } from 'drizzle-orm';
import type { Database } from '@/lib/db/client';
import { finqwareCredentials, onboardings, onboardingSteps } from '@/lib/db/schema';
import { getEnv, type AppConfig } from '@/lib/env';
import type { Opened } from '@/lib/secrets/aead';
import { resealSource, uuidKeyedColumn, type ResealTally, type SealedSource } from '@/lib/secrets/rotation';
import { atRestKeyRing } from '@/lib/secrets/at-rest';

// Onboarding secrets and personal data at rest: AES-256-GCM under a key derived from ENCRYPTION_KEY;
// after a rotation, keys derived from ENCRYPTION_KEYS_PREVIOUS still open older values.
// The associated data names the row and column, so a value copied elsewhere cannot be opened.

const PURPOSE = 'onboarding-at-rest';

/** The associated data of each sealed column: the row and column a value belongs to. */
export const sealedAt = {
  nonce: (id: string) => `onboardings.nonce:${id}`,
  answers: (id: string, index: number) => `onboarding_steps.answers:${id}:${index}`,
  credentialsId: (id: string) => `finqware_credentials.credentials_id:${id}`,
  accessToken: (id: string) => `finqware_credentials.access_token:${id}`,
};

const onboardingKeyRing = atRestKeyRing(PURPOSE);

/** Sealed under the current key, bound to where (a `sealedAt` value). */
export function sealAtRest(value: string, where: string): string {
  return onboardingKeyRing().seal(value, where);
}

/** Opens what any key of the ring sealed; throws SecretTamperedError otherwise. */
export function openAtRest(sealed: string, where: string): string {
  return onboardingKeyRing().open(sealed, where).value;
}

/** Like openAtRest, and says whether the value should be sealed again under the current key. */
export function openAtRestWithStatus(sealed: string, where: string): Opened {
  return onboardingKeyRing().open(sealed, where);
}

// --- Re-sealing after a key rotation (npm run rotate-keys) ----------------------------------------

/** Every sealed column of the onboarding tables. Each write is one statement that only replaces the value read. */
export function onboardingSealedColumns(db: Database): SealedSource[] {
  const nonce = uuidKeyedColumn(
    'onboardings.nonce_sealed',
    sealedAt.nonce,
    (after, limit) =>
      db
        .select({ id: onboardings.id, sealed: onboardings.nonceSealed })
        .from(onboardings)
        .where(and(isNotNull(onboardings.nonceSealed), after ? gt(onboardings.id, after) : undefined))
        .orderBy(onboardings.id)
        .limit(limit),
    (id, from, to) =>
      db
        .update(onboardings)
        .set({ nonceSealed: to })
        .where(and(eq(onboardings.id, id), eq(onboardings.nonceSealed, from)))
        .returning({ id: onboardings.id }),
  );

  const credentials = (column: 'credentialsIdSealed' | 'accessTokenSealed', name: string, where: (id: string) => string) =>
    uuidKeyedColumn(
      name,
      where,
      (after, limit) =>
        db
          .select({ id: finqwareCredentials.id, sealed: finqwareCredentials[column] })
          .from(finqwareCredentials)
          .where(after ? gt(finqwareCredentials.id, after) : undefined)
          .orderBy(finqwareCredentials.id)
          .limit(limit),
      (id, from, to) =>
        db
          .update(finqwareCredentials)
          .set({ [column]: to })
          .where(and(eq(finqwareCredentials.id, id), eq(finqwareCredentials[column], from)))
          .returning({ id: finqwareCredentials.id }),
    );

  // Keyed by (onboarding_id, step_index); reports name a row `onboarding_id:step_index`.
  const answers: SealedSource = {
    name: 'onboarding_steps.answers_sealed',
    async next(cursor, limit) {
      const [afterId, afterIndex] = cursor?.split(':') ?? [];
      const rows = await db
        .select({ onboardingId: onboardingSteps.onboardingId, stepIndex: onboardingSteps.stepIndex, sealed: onboardingSteps.answersSealed })
        .from(onboardingSteps)
        .where(
          afterId
            ? or(gt(onboardingSteps.onboardingId, afterId), and(eq(onboardingSteps.onboardingId, afterId), gt(onboardingSteps.stepIndex, Number(afterIndex))))
            : undefined,
        )
        .orderBy(onboardingSteps.onboardingId, onboardingSteps.stepIndex)
        .limit(limit);
      const values = rows.map((row) => ({
        id: `${row.onboardingId}:${row.stepIndex}`,
        sealed: row.sealed,
        aad: sealedAt.answers(row.onboardingId, row.stepIndex),
      }));
      return { values, cursor: rows.length === limit ? values.at(-1)!.id : undefined };
    },
    async replace(value, resealed) {
      const [onboardingId, stepIndex] = value.id.split(':') as [string, string];
      const updated = await db
        .update(onboardingSteps)
        .set({ answersSealed: resealed })
        .where(
          and(
            eq(onboardingSteps.onboardingId, onboardingId),
            eq(onboardingSteps.stepIndex, Number(stepIndex)),
            eq(onboardingSteps.answersSealed, value.sealed),
          ),
        )
        .returning({ onboardingId: onboardingSteps.onboardingId });
      return updated.length === 1;
    },
  };

  return [
    nonce,
    answers,
    credentials('credentialsIdSealed', 'finqware_credentials.credentials_id_sealed', sealedAt.credentialsId),
    credentials('accessTokenSealed', 'finqware_credentials.access_token_sealed', sealedAt.accessToken),
  ];
}

/** Seals every onboarding value again under the current key; one tally per column. */
export async function resealOnboardingSecrets(db: Database, env: AppConfig = getEnv(), options: { batchSize?: number } = {}): Promise<ResealTally[]> {
  const ring = onboardingKeyRing(env);
  const tallies: ResealTally[] = [];
  for (const source of onboardingSealedColumns(db)) tallies.push(await resealSource(source, ring, options));
  return tallies;
}
