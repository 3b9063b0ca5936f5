import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestDatabase } from '@/test/databases';
import { envSetter } from '@/test/env';
import { signUp } from '@/lib/account/service';
import { authenticate } from '@/lib/auth/login';
import { getDb } from '@/lib/db/client';
import { recoveryCodes, totpAuthenticators } from '@/lib/db/schema';
import { devMailbox } from '@/lib/mail/dev-mailbox';
import { beginTotpSetup, confirmTotp, factorSummary, removeTotp, replaceRecoveryCodes, verifySecondFactor } from './factors';
import { resealTotpSecrets } from './sealing';
import { secondFactorStepFor } from './step';
import { totpCodeAt } from './totp';

const PASSWORD = 'orbit-lantern-velvet-73';
const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const STEP = 30_000;

describe.each(databaseKinds)('second factors on %s', (kind) => {
  useTestDatabase(kind);
  const setEnv = envSetter();

  async function account() {
    const email = `2fa-${randomUUID()}@example.com`;
    const created = await signUp({ email, password: PASSWORD, ip: uniqueIp() });
    if (!created.ok) throw new Error('sign-up failed in test setup');
    return { id: created.userId, email };
  }

  /** An account with a confirmed authenticator app: its secret, the time of the first code, the recovery codes. */
  async function withApp() {
    const user = await account();
    const setup = await beginTotpSetup(user);
    if (!setup.ok) throw new Error('setup refused');
    const now = Date.now();
    const added = await confirmTotp(user.id, totpCodeAt(setup.secret, now), now);
    if (!added.ok || !added.recoveryCodes) throw new Error('confirmation refused');
    return { user, secret: setup.secret, now, codes: added.recoveryCodes };
  }

  it('sets up an app only with a right first code, keeps its secret sealed, and gives ten recovery codes once', async () => {
    const user = await account();
    const setup = await beginTotpSetup(user);
    if (!setup.ok) throw new Error('setup refused');
    expect(setup.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(setup.uri).toContain(`secret=${setup.secret}`);
    const db = await getDb();
    const [row] = await db.select().from(totpAuthenticators).where(eq(totpAuthenticators.userId, user.id));
    expect(row!.secretSealed).not.toContain(setup.secret);

    // Not a factor until confirmed; a wrong code confirms nothing.
    expect(await secondFactorStepFor(user.id)).toBeNull();
    expect(await confirmTotp(user.id, '000000')).toEqual({ ok: false, reason: 'invalid' });
    const now = Date.now();
    const added = await confirmTotp(user.id, totpCodeAt(setup.secret, now), now);
    expect(added.ok).toBe(true);
    const codes = added.ok ? added.recoveryCodes! : [];
    expect(codes).toHaveLength(10);
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.some((r) => r.codeHash.includes(code.replace(/-/g, '')))).toBe(false);
    expect(await secondFactorStepFor(user.id)).toBe('verify');
    expect(await beginTotpSetup(user)).toEqual({ ok: false, reason: 'exists' });
    // The user is told by email.
    await expect.poll(() => devMailbox().some((m) => m.to === user.email && m.subject === 'A sign-in method was added to your Guidepost account')).toBe(true);
  });

  it('takes each app code once, one step of drift either side, and never an older one', async () => {
    const { user, secret, now } = await withApp();
    const session = randomUUID();
    // The code that confirmed the setup is spent.
    expect(await verifySecondFactor(user.id, session, { code: totpCodeAt(secret, now) }, now)).toEqual({ ok: false, reason: 'invalid' });
    const next = now + STEP;
    expect(await verifySecondFactor(user.id, session, { code: totpCodeAt(secret, next) }, next)).toMatchObject({ ok: true, method: 'totp' });
    expect(await verifySecondFactor(user.id, session, { code: totpCodeAt(secret, next) }, next)).toEqual({ ok: false, reason: 'invalid' });
    // A phone one step ahead of the server, then one step behind a later one (an older step: refused).
    const later = next + 3 * STEP;
    expect(await verifySecondFactor(user.id, session, { code: totpCodeAt(secret, later + STEP) }, later)).toMatchObject({ ok: true });
    expect(await verifySecondFactor(user.id, session, { code: totpCodeAt(secret, later - STEP) }, later)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifySecondFactor(user.id, session, { code: totpCodeAt(secret, later + 10 * STEP) }, later + 10 * STEP - 3 * STEP)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await verifySecondFactor(user.id, session, {}, later)).toEqual({ ok: false, reason: 'missing' });
  });

  it('takes two racing requests with one code only once', async () => {
    const { user, secret, now } = await withApp();
    const at = now + 2 * STEP;
    const code = totpCodeAt(secret, at);
    const results = await Promise.all([1, 2, 3].map(() => verifySecondFactor(user.id, randomUUID(), { code }, at)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('takes each recovery code once, in any case and spacing; new codes void the old ones', async () => {
    const { user, codes } = await withApp();
    const [first, second] = codes as [string, string];
    expect(await verifySecondFactor(user.id, randomUUID(), { code: first.toLowerCase().replace(/-/g, ' ') })).toEqual({
      ok: true,
      method: 'recovery_code',
      recoveryCodesLeft: 9,
    });
    expect(await verifySecondFactor(user.id, randomUUID(), { code: first })).toEqual({ ok: false, reason: 'invalid' });
    const fresh = await replaceRecoveryCodes(user.id);
    expect(await verifySecondFactor(user.id, randomUUID(), { code: second })).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifySecondFactor(user.id, randomUUID(), { code: fresh[0]! })).toMatchObject({ ok: true, recoveryCodesLeft: 9 });
  });

  it('makes the login a half one until the factor is given, and REQUIRE_2FA asks those without one to set it up', async () => {
    const { user } = await withApp();
    const login = await authenticate({ email: user.email, password: PASSWORD, ip: uniqueIp(), userAgent: 'vitest' });
    expect(login.ok && login.session.secondFactor).toBe('verify');

    const plain = await account();
    const before = await authenticate({ email: plain.email, password: PASSWORD, ip: uniqueIp(), userAgent: 'vitest' });
    expect(before.ok && before.session.secondFactor).toBeNull();
    setEnv({ REQUIRE_2FA: 'true' });
    const after = await authenticate({ email: plain.email, password: PASSWORD, ip: uniqueIp(), userAgent: 'vitest' });
    expect(after.ok && after.session.secondFactor).toBe('enrol');
  });

  it('keeps working after a key rotation, once npm run rotate-keys re-sealed the secrets', async () => {
    const { user, secret, now } = await withApp();
    const older = process.env.ENCRYPTION_KEY!;
    setEnv({ ENCRYPTION_KEY: randomBytes(32).toString('base64'), ENCRYPTION_KEYS_PREVIOUS: older });
    const tally = await resealTotpSecrets(await getDb(), undefined, { batchSize: 1 });
    expect(tally).toMatchObject({ name: 'totp_authenticators.secret_sealed', skipped: 0, unreadable: [] });
    expect(tally.resealed).toBeGreaterThanOrEqual(1);
    // The new key alone opens it now.
    setEnv({ ENCRYPTION_KEYS_PREVIOUS: undefined });
    const at = now + 2 * STEP;
    expect(await verifySecondFactor(user.id, randomUUID(), { code: totpCodeAt(secret, at) }, at)).toMatchObject({ ok: true, method: 'totp' });
  });

  it('removes the app (recovery codes with the last factor), unless REQUIRE_2FA needs it', async () => {
    const { user } = await withApp();
    setEnv({ REQUIRE_2FA: 'true' });
    expect(await removeTotp(user.id)).toEqual({ ok: false, reason: 'last_required' });
    setEnv({ REQUIRE_2FA: 'false' });
    expect(await removeTotp(user.id)).toEqual({ ok: true });
    expect(await factorSummary(user.id)).toEqual({ totp: false, passkeys: [], recoveryCodesLeft: 0 });
    expect(await secondFactorStepFor(user.id)).toBeNull();
    expect(await removeTotp(user.id)).toEqual({ ok: false, reason: 'not_found' });
    await expect
      .poll(() => devMailbox().some((m) => m.to === user.email && m.subject === 'A sign-in method was removed from your Guidepost account'))
      .toBe(true);
  });
});
