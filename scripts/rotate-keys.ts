// `npm run rotate-keys`: after ENCRYPTION_KEY changed, seals every stored secret again under the current
// key (README, "Rotating the encryption key"): the onboarding columns, the authenticator app secrets and the mail
// outbox in the configured database, and the guidance passwords in Redis. Prints counts and row ids, never a value.
// Exits 1 when a value cannot be opened with any configured key, 2 when it cannot run at all.
import { getDatabase } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { resealTotpSecrets } from '@/lib/auth/two-factor/sealing';
import { resealMailOutbox } from '@/lib/mail/outbox';
import { resealOnboardingSecrets } from '@/lib/onboarding/sealing';
import { redisClient } from '@/lib/redis';
import { resealGuidancePasswords } from '@/lib/secrets';
import { rotationReport } from '@/lib/secrets/rotation';

async function main(): Promise<number> {
  const env = getEnv();
  const previous = env.previousEncryptionKeys.length;
  console.log(
    env.generatedSecrets
      ? 'Keys: the generated development ENCRYPTION_KEY (.data/dev-secrets.json).'
      : `Keys: ENCRYPTION_KEY seals; ${previous === 0 ? 'no previous key' : `${previous} previous key(s) from ENCRYPTION_KEYS_PREVIOUS`} to open older values.`,
  );
  console.log(
    env.database.kind === 'pglite'
      ? `Database: embedded PGlite in ${env.database.dir} (the server must be stopped while this runs).`
      : 'Database: PostgreSQL at DATABASE_URL.',
  );
  const database = await getDatabase();
  try {
    const tallies = await resealOnboardingSecrets(database.db, env);
    tallies.push(await resealTotpSecrets(database.db, env));
    tallies.push(await resealMailOutbox(database.db, env));
    if (env.redisUrl) tallies.push(await resealGuidancePasswords(redisClient(), env));
    else console.log('Redis: not configured (guidance passwords then live in server memory and need no rotation).');
    const report = rotationReport(tallies);
    for (const line of report.lines) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    await database.close();
    if (env.redisUrl) await redisClient().quit();
  }
}

function reason(error: unknown): string {
  // A failed query's own message repeats its parameters (sealed values); the driver's cause does not.
  const shown = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return shown instanceof Error ? shown.message : String(shown);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`rotate-keys stopped: ${reason(error)}`);
    process.exit(2);
  },
);
