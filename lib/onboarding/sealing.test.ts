import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, setDatabaseForTests, type DatabaseHandle } from '@/lib/db/client';
import { finqwareCredentials, onboardings, onboardingSteps } from '@/lib/db/schema';
import { createFinqwareClient } from '@/lib/finqware/client';
import { createFinqwareSandbox } from '@guidepost/sandbox/finqware';
import { isSecretTamperedError } from '@/lib/secrets/aead';
import { createTestDatabase, databaseKinds, insertUser } from '@/test/databases';
import { onboardingSealedColumns, openAtRest, openAtRestWithStatus, resealOnboardingSecrets, sealAtRest, sealedAt } from './sealing';
import { clearCatalogCache, getOnboarding, revokeOnboarding, startOnboarding, submitFormStep, type OnboardingDeps } from './service';
import { PERSON, PRODUCT } from '@/test/onboarding-answers';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const keyC = randomBytes(32);

// Sealed by the implementation before key rotation existed (v1, no key id), with ENCRYPTION_KEY = 32 × 0x5a.
const LEGACY_MASTER = Buffer.alloc(32, 0x5a);
const LEGACY_ONBOARDING_ID = '00000000-0000-4000-8000-000000000001';
const LEGACY_NONCE = 'nonce-from-before-rotation';
const LEGACY_NONCE_SEALED = 'v1.SE6RnkT-LiGUX1bnC2w6hiQqaEYP9CfOzQk2byGOFTIju3Qa4M9iggjqriDqP1Fzo52X2kKu';

const base64 = (key: Buffer) => key.toString('base64');
const envCache = globalThis as unknown as { __guidepostEnv?: unknown };
const originalKey = process.env.ENCRYPTION_KEY;

/** What an operator does: set ENCRYPTION_KEY (and ENCRYPTION_KEYS_PREVIOUS) and restart. */
function useKeys(current: Buffer, previous: Buffer[] = []): void {
  process.env.ENCRYPTION_KEY = base64(current);
  if (previous.length > 0) process.env.ENCRYPTION_KEYS_PREVIOUS = previous.map(base64).join(',');
  else delete process.env.ENCRYPTION_KEYS_PREVIOUS;
  delete envCache.__guidepostEnv;
}

function restoreKeys(): void {
  process.env.ENCRYPTION_KEY = originalKey;
  delete process.env.ENCRYPTION_KEYS_PREVIOUS;
  delete envCache.__guidepostEnv;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('onboarding values across a key rotation', () => {
  afterEach(restoreKeys);
  const where = sealedAt.nonce(randomUUID());

  it('opens a value sealed under the previous key, says it is stale, and seals anew under the current key', () => {
    useKeys(keyA);
    const before = sealAtRest('nonce-1', where);

    useKeys(keyB, [keyA]);
    expect(openAtRest(before, where)).toBe('nonce-1');
    expect(openAtRestWithStatus(before, where)).toEqual({ value: 'nonce-1', stale: true });
    const after = sealAtRest('nonce-2', where);
    expect(openAtRestWithStatus(after, where)).toEqual({ value: 'nonce-2', stale: false });

    // Once the old key is removed, only what was sealed under it stops opening.
    useKeys(keyB);
    expect(openAtRest(after, where)).toBe('nonce-2');
    expect(isSecretTamperedError(thrown(() => openAtRest(before, where)))).toBe(true);
  });

  it('opens values written before key rotation existed, under the current or a previous key', () => {
    const legacyWhere = sealedAt.nonce(LEGACY_ONBOARDING_ID);
    useKeys(LEGACY_MASTER);
    expect(openAtRestWithStatus(LEGACY_NONCE_SEALED, legacyWhere)).toEqual({ value: LEGACY_NONCE, stale: true });
    useKeys(keyB, [LEGACY_MASTER]);
    expect(openAtRestWithStatus(LEGACY_NONCE_SEALED, legacyWhere)).toEqual({ value: LEGACY_NONCE, stale: true });
    useKeys(keyB);
    expect(isSecretTamperedError(thrown(() => openAtRest(LEGACY_NONCE_SEALED, legacyWhere)))).toBe(true);
  });

  it('keeps each value bound to its row and column', () => {
    useKeys(keyA);
    const id = randomUUID();
    const answers = sealAtRest('{"city":"Paris"}', sealedAt.answers(id, 1));
    for (const elsewhere of [sealedAt.answers(id, 2), sealedAt.answers(randomUUID(), 1), sealedAt.nonce(id)]) {
      expect(isSecretTamperedError(thrown(() => openAtRest(answers, elsewhere)))).toBe(true);
    }
    const token = sealAtRest('token', sealedAt.accessToken(id));
    expect(isSecretTamperedError(thrown(() => openAtRest(token, sealedAt.credentialsId(id))))).toBe(true);
  });
});

describe.each(databaseKinds)('rotating the onboarding secrets on %s', (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let deps: OnboardingDeps;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
  });
  afterAll(async () => {
    restoreKeys();
    setDatabaseForTests(undefined);
    await database.drop();
  });
  beforeEach(() => {
    const credentials = { clientId: 'rotation-client', clientAppKey: 'rotation-app-key', clientSecret: 'rotation-secret-0123456789' };
    const sandbox = createFinqwareSandbox(credentials);
    clearCatalogCache();
    deps = {
      finqware: createFinqwareClient({
        apiUrl: 'http://finqware.test',
        ...credentials,
        fetch: async (input, init) => sandbox.handle(new Request(input, init)),
      }),
      now: () => new Date(),
    };
  });

  /** Every sealed value of the four columns, opened with the configured keys (throws if one does not open). */
  async function openEverything() {
    const rows = await database.db.select().from(onboardings);
    const steps = await database.db.select().from(onboardingSteps);
    const credentials = await database.db.select().from(finqwareCredentials);
    return [
      ...rows.filter((row) => row.nonceSealed).map((row) => openAtRestWithStatus(row.nonceSealed!, sealedAt.nonce(row.id))),
      ...steps.map((step) => openAtRestWithStatus(step.answersSealed, sealedAt.answers(step.onboardingId, step.stepIndex))),
      ...credentials.flatMap((row) => [
        openAtRestWithStatus(row.credentialsIdSealed, sealedAt.credentialsId(row.id)),
        openAtRestWithStatus(row.accessTokenSealed, sealedAt.accessToken(row.id)),
      ]),
    ];
  }

  it('re-seals every value under the new key, after which the old key is no longer needed', async () => {
    // Written by the app under key A: an onboarding in progress, a completed one with its consent, and a legacy v1 nonce.
    useKeys(keyA);
    const userId = await insertUser(database);
    const inProgress = await startOnboarding(userId, 'xyz_card_sbx_#3.0', deps);
    await submitFormStep(userId, inProgress, 0, PRODUCT, deps);
    await submitFormStep(userId, inProgress, 1, PERSON, deps);
    const completed = await startOnboarding(userId, 'xyz_aisp_sbx_#1.0', deps);
    await submitFormStep(userId, completed, 0, { accepted: 'on' }, deps);
    expect((await getOnboarding(userId, completed))?.status).toBe('completed');
    await database.db.insert(onboardings).values({
      id: LEGACY_ONBOARDING_ID,
      userId,
      skillId: 'xyz_card_sbx_#3.0',
      skillName: 'Legacy',
      steps: [],
      nonceSealed: LEGACY_NONCE_SEALED,
    });

    // The operator sets key B, keeps A (and the key of the legacy value) as previous, and restarts: pages still open.
    useKeys(keyB, [keyA, LEGACY_MASTER]);
    expect((await getOnboarding(userId, inProgress))?.answers[1]).toEqual(PERSON);

    const tallies = await resealOnboardingSecrets(database.db);
    const byName = Object.fromEntries(tallies.map((tally) => [tally.name, tally]));
    // Nonces: the card onboarding's and the legacy one (a completed onboarding keeps none).
    expect(byName['onboardings.nonce_sealed']).toMatchObject({ resealed: 2, current: 0, skipped: 0, unreadable: [] });
    expect(byName['onboarding_steps.answers_sealed']).toMatchObject({ resealed: 3, current: 0, unreadable: [] });
    expect(byName['finqware_credentials.credentials_id_sealed']).toMatchObject({ resealed: 1, unreadable: [] });
    expect(byName['finqware_credentials.access_token_sealed']).toMatchObject({ resealed: 1, unreadable: [] });

    // The old keys are removed: everything opens with key B alone, and the app carries on.
    useKeys(keyB);
    const opened = await openEverything();
    expect(opened).toHaveLength(7);
    expect(opened.every((value) => !value.stale)).toBe(true);
    expect(opened.map((value) => value.value)).toContain(LEGACY_NONCE);
    expect((await getOnboarding(userId, inProgress))?.answers).toEqual({ 0: PRODUCT, 1: PERSON });
    await revokeOnboarding(userId, completed, deps);
    expect((await getOnboarding(userId, completed))?.status).toBe('revoked');

    // A second run finds nothing to do.
    const again = await resealOnboardingSecrets(database.db);
    expect(again.every((tally) => tally.resealed === 0 && tally.unreadable.length === 0)).toBe(true);
    expect(again.reduce((sum, tally) => sum + tally.current, 0)).toBe(7);
    await database.db.delete(onboardings).where(eq(onboardings.userId, userId));
  });

  it('never overwrites a value the app wrote again after the rotation read it', async () => {
    useKeys(keyA);
    const userId = await insertUser(database);
    const id = await startOnboarding(userId, 'xyz_aisp_sbx_#1.0', deps);
    await submitFormStep(userId, id, 0, { accepted: 'on' }, deps);
    const inProgress = await startOnboarding(userId, 'xyz_card_sbx_#3.0', deps);
    await submitFormStep(userId, inProgress, 0, PRODUCT, deps);

    useKeys(keyB, [keyA]);
    const columns = onboardingSealedColumns(database.db);
    expect(columns.map((column) => column.name)).toEqual([
      'onboardings.nonce_sealed',
      'onboarding_steps.answers_sealed',
      'finqware_credentials.credentials_id_sealed',
      'finqware_credentials.access_token_sealed',
    ]);
    for (const column of columns) {
      const { values } = await column.next(undefined, 100);
      const read = values[0]!;
      // The app seals a new value into the same place between the rotation's read and its write.
      const [table, field] = column.name.split('.') as [string, string];
      const fresh = sealAtRest('written by the app', read.aad);
      await database.db.execute(sql`update ${sql.identifier(table)} set ${sql.identifier(field)} = ${fresh} where ${sql.identifier(field)} = ${read.sealed}`);
      expect(await column.replace(read, sealAtRest('stale copy', read.aad))).toBe(false);
      const now = (await column.next(undefined, 100)).values.find((value) => value.id === read.id);
      expect(now?.sealed).toBe(fresh);
    }
    await database.db.delete(onboardings).where(eq(onboardings.userId, userId));
  });

  it('names a value no configured key opens, and leaves it as it is', async () => {
    useKeys(keyC);
    const userId = await insertUser(database);
    const id = await startOnboarding(userId, 'xyz_card_sbx_#3.0', deps);
    await submitFormStep(userId, id, 0, PRODUCT, deps);
    const [step] = await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id));

    useKeys(keyB, [keyA]);
    const tallies = await resealOnboardingSecrets(database.db, undefined, { batchSize: 1 });
    expect(tallies.find((tally) => tally.name === 'onboarding_steps.answers_sealed')?.unreadable).toEqual([`${id}:0`]);
    expect(tallies.find((tally) => tally.name === 'onboardings.nonce_sealed')?.unreadable).toEqual([id]);
    const [untouched] = await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id));
    expect(untouched?.answersSealed).toBe(step?.answersSealed);
    await database.db.delete(onboardings).where(eq(onboardings.userId, userId));
  });
});

/** Runs the real command, as an operator would, against the given database and keys. */
function rotateKeysCommand(target: { pgliteDir: string } | { url: string }, current: Buffer, previous: Buffer[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AUTH_SECRET: 'a'.repeat(43),
    ENCRYPTION_KEY: base64(current),
    ENCRYPTION_KEYS_PREVIOUS: previous.map(base64).join(','),
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if ('url' in target) env.DATABASE_URL = target.url;
  else env.PGLITE_DIR = target.pgliteDir;
  const run = spawnSync('npm', ['run', '--silent', 'rotate-keys'], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe.each(databaseKinds)('npm run rotate-keys on %s', (kind) => {
  let dir: string | undefined;
  let database: DatabaseHandle & { drop?: () => Promise<void> };
  let target: { pgliteDir: string } | { url: string };

  beforeAll(async () => {
    if (kind === 'pglite') {
      dir = mkdtempSync(path.join(tmpdir(), 'guidepost-rotate-'));
      target = { pgliteDir: dir };
      database = await openDatabase(target);
    } else {
      const created = await createTestDatabase('postgres');
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${created.name}`;
      target = { url: url.toString() };
      database = created;
    }
  });
  afterAll(async () => {
    restoreKeys();
    if (dir) rmSync(dir, { recursive: true, force: true });
    else await database.drop?.();
  });

  // Runs the command twice; each run may take up to its 60 s limit on a loaded machine.
  it('refuses when a value cannot be opened, naming only table, column and row; then finishes once the key is given', async () => {
    const userId = await insertUser(database);
    const [row] = await database.db
      .insert(onboardings)
      .values({ userId, skillId: 'xyz_card_sbx_#3.0', skillName: 'Card', steps: [] })
      .returning({ id: onboardings.id });
    const id = row!.id;
    useKeys(keyA);
    const nonceSealed = sealAtRest('nonce-under-a', sealedAt.nonce(id));
    await database.db.update(onboardings).set({ nonceSealed }).where(eq(onboardings.id, id));
    const answersSealed = sealAtRest(JSON.stringify(PERSON), sealedAt.answers(id, 0));
    await database.db.insert(onboardingSteps).values({ onboardingId: id, stepIndex: 0, answersSealed });
    useKeys(keyC);
    const lostSealed = sealAtRest(JSON.stringify(PRODUCT), sealedAt.answers(id, 1));
    await database.db.insert(onboardingSteps).values({ onboardingId: id, stepIndex: 1, answersSealed: lostSealed });
    // PGlite allows one process per data directory: the command's.
    if (kind === 'pglite') await database.close();

    const refused = rotateKeysCommand(target, keyB, [keyA]);
    expect(refused.status).toBe(1);
    expect(refused.output).toContain(`unreadable: onboarding_steps.answers_sealed row ${id}:1`);
    expect(refused.output).toContain('onboardings.nonce_sealed: 1 re-sealed, 0 already current, 0 changed meanwhile, 0 unreadable');
    expect(refused.output).toMatch(/could not be opened with ENCRYPTION_KEY or any key in ENCRYPTION_KEYS_PREVIOUS/);
    for (const secret of ['nonce-under-a', 'Camille', nonceSealed, answersSealed, lostSealed, ...[keyA, keyB, keyC].map(base64)]) {
      expect(refused.output).not.toContain(secret);
    }

    const done = rotateKeysCommand(target, keyB, [keyA, keyC]);
    expect(done.status).toBe(0);
    expect(done.output).toContain('onboarding_steps.answers_sealed: 1 re-sealed, 1 already current, 0 changed meanwhile, 0 unreadable');
    expect(done.output).toMatch(/no previous key is needed any more/);

    // Key B alone now opens everything.
    if (kind === 'pglite') database = await openDatabase(target);
    useKeys(keyB);
    const steps = await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id));
    expect(steps.map((step) => openAtRestWithStatus(step.answersSealed, sealedAt.answers(id, step.stepIndex)).stale)).toEqual([false, false]);
    const [after] = await database.db.select().from(onboardings).where(eq(onboardings.id, id));
    expect(openAtRest(after!.nonceSealed!, sealedAt.nonce(id))).toBe('nonce-under-a');
    if (kind === 'pglite') await database.close();
  }, 150_000);
});
