import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HANDOFF_SESSION_LIFETIME_MS, loadActiveSession } from '@/lib/auth/sessions';
import { authSessions, phoneHandoffs } from '@/lib/db/schema';
import { createFinqwareClient } from '@/lib/finqware/client';
import { sanitiseUpload, type SanitisedFile } from '@/lib/onboarding/sanitise-upload';
import { clearCatalogCache, restartOnboarding, startOnboarding, submitFormStep, submitUploadStep, type OnboardingDeps } from '@/lib/onboarding/service';
import { createFinqwareSandbox } from '@guidepost/sandbox/finqware';
import { CLEAN_PDF } from '@guidepost/sandbox/testing/files';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { envSetter } from '@/test/env';
import { PERSON, PRODUCT } from '@/test/onboarding-answers';
import type { CurrentUser } from '@/lib/auth/dal';
import { uploaderFor } from './access';
import { openHandoff } from './open';
import { handoffStatus, issueHandoff } from './service';
import { sweepHandoffs } from './store';
import { hashHandoffToken } from './token';

// The data-access layer reads next-auth's cookie; here the test says which session the request has.
const request = vi.hoisted(() => ({
  user: null as CurrentUser | null,
  phone: null as { user: CurrentUser; handoffId: string } | null,
}));
vi.mock('@/lib/auth/dal', () => ({
  currentUser: async () => request.user,
  handoffSession: async () => request.phone,
}));

const CREDENTIALS = { clientId: 'handoff-client', clientAppKey: 'handoff-app-key', clientSecret: 'handoff-secret-0123456789' };
const CARD = 'xyz_card_sbx_#3.0';
const DOCUMENT_STEP = 2;
const TTL_MS = 600 * 1000;

let PDF_FILE: SanitisedFile;

beforeAll(async () => {
  const cleaned = await sanitiseUpload(CLEAN_PDF, 'application/pdf');
  if (!cleaned.ok) throw new Error('the test PDF should be accepted');
  PDF_FILE = cleaned.file;
});

const tokenOf = (link: string) => new URL(link).pathname.split('/').at(-1)!;

const asUser = (id: string, sessionId = '00000000-0000-4000-8000-000000000000'): CurrentUser => ({
  id,
  email: `${id}@example.com`,
  sessionId,
  authenticatedAt: new Date(0),
  lastLoginAt: null,
  expiresAt: new Date(Date.now() + 30 * 60_000),
  timeZone: null,
  locale: null,
  emailVerified: true,
  secondFactors: { totp: false, passkey: false },
});

describe.each(databaseKinds)('phone hand-off on %s', (kind) => {
  const database = useTestDatabase(kind);
  const setEnv = envSetter();
  let clock: { ms: number };
  let deps: OnboardingDeps;
  const now = () => new Date(clock.ms);

  beforeEach(() => {
    clock = { ms: Date.now() };
    request.user = null;
    request.phone = null;
    const sandbox = createFinqwareSandbox({ ...CREDENTIALS, now: () => clock.ms });
    clearCatalogCache();
    const finqware = createFinqwareClient({ apiUrl: 'http://finqware.test', ...CREDENTIALS, fetch: (input, init) => sandbox.handle(new Request(input, init)) });
    deps = { finqware, now };
  });

  /** A user whose card onboarding waits for its identity document (step 3 of 4). */
  async function atDocumentStep(): Promise<{ userId: string; onboardingId: string }> {
    const userId = await insertUser(database);
    const onboardingId = await startOnboarding(userId, CARD, deps);
    await submitFormStep(userId, onboardingId, 0, PRODUCT, deps);
    await submitFormStep(userId, onboardingId, 1, PERSON, deps);
    return { userId, onboardingId };
  }

  async function issued(target: { userId: string; onboardingId: string }, stepIndex = DOCUMENT_STEP) {
    const result = await issueHandoff({ ...target, stepIndex }, now());
    if (!result.ok) throw new Error(`expected a hand-off link, got ${result.reason}`);
    return { ...result.handoff, token: tokenOf(result.handoff.link) };
  }

  const sendDocument = (target: { userId: string; onboardingId: string }) =>
    submitUploadStep(
      target.userId,
      target.onboardingId,
      DOCUMENT_STEP,
      { documentType: 'passport' },
      { front: { file: PDF_FILE, shownName: 'passport.pdf' } },
      deps,
    );

  it('makes a short link and a QR code for the current upload step, valid ten minutes, and keeps only a hash of the token', async () => {
    setEnv({ APP_URL: 'https://portal.example.com' });
    const target = await atDocumentStep();
    const handoff = await issued(target);

    expect(handoff.link).toMatch(/^https:\/\/portal\.example\.com\/h\/[A-Za-z0-9_-]{22}$/);
    expect(handoff.expiresAt.getTime()).toBe(clock.ms + TTL_MS);
    expect(handoff.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(handoff.qrCode.split(',')[1]!, 'base64').toString()).toMatch(/^<svg [^>]*viewBox/);

    const rows = await database.db.select().from(phoneHandoffs).where(eq(phoneHandoffs.onboardingId, target.onboardingId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: target.userId,
      stepIndex: DOCUMENT_STEP,
      tokenHash: hashHandoffToken(handoff.token),
      usedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(rows)).not.toContain(handoff.token);
    expect(await handoffStatus({ ...target, stepIndex: DOCUMENT_STEP }, now())).toEqual({ step: 'current', phone: 'waiting' });
  });

  it('makes links only for the owner’s current upload step', async () => {
    const target = await atDocumentStep();
    const stranger = await insertUser(database);
    expect(await issueHandoff({ ...target, userId: stranger, stepIndex: DOCUMENT_STEP }, now())).toEqual({ ok: false, reason: 'not_found' });
    // A form step already done, the next upload step, a step that does not exist.
    for (const stepIndex of [1, 3, 9]) expect(await issueHandoff({ ...target, stepIndex }, now())).toEqual({ ok: false, reason: 'not_this_step' });
    // Finqware's session for the step expired: a restart comes first.
    clock.ms += 31 * 60 * 1000;
    expect(await issueHandoff({ ...target, stepIndex: DOCUMENT_STEP }, now())).toEqual({ ok: false, reason: 'not_this_step' });
  });

  it('opens one phone session per link: of two phones at the same moment exactly one gets in, and never again after', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);

    const attempts = await Promise.all([openHandoff(token, 'phone A', now()), openHandoff(token, 'phone B', now())]);
    const opened = attempts.filter((attempt) => attempt !== undefined);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.userId).toBe(target.userId);
    const sessions = await database.db.select().from(authSessions).where(eq(authSessions.userId, target.userId));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.id).toBe(opened[0]!.sessionId);
    expect(sessions[0]!.handoffId).not.toBeNull();
    // No password was typed in it.
    expect(sessions[0]!.authenticatedAt.getTime()).toBe(0);

    expect(await openHandoff(token, 'phone C', now())).toBeUndefined();
    expect(await handoffStatus({ ...target, stepIndex: DOCUMENT_STEP }, now())).toEqual({ step: 'current', phone: 'connected' });
  });

  it('refuses a link once its ten minutes are over', async () => {
    const target = await atDocumentStep();
    const early = await issued(target);
    clock.ms += TTL_MS - 1000;
    expect(await openHandoff(early.token, 'phone', now())).toBeDefined();

    const late = await issued(target);
    clock.ms += TTL_MS;
    expect(await openHandoff(late.token, 'phone', now())).toBeUndefined();
    expect(await handoffStatus({ ...target, stepIndex: DOCUMENT_STEP }, now())).toEqual({ step: 'current', phone: 'none' });
  });

  it('refuses what only looks like a link, or another one', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);
    for (const wrong of ['', 'x', `${token}A`, token.slice(1), hashHandoffToken(token), 'A'.repeat(22), undefined, 42])
      expect(await openHandoff(wrong, 'phone', now())).toBeUndefined();
  });

  it('a newer link for the step ends the older one and the phone session it opened', async () => {
    const target = await atDocumentStep();
    const first = await issued(target);
    const phone = await openHandoff(first.token, 'phone', now());
    expect(await loadActiveSession(phone!.sessionId, now())).not.toBeNull();

    const unused = await issued(target);
    expect(await loadActiveSession(phone!.sessionId, now())).toBeNull();
    const second = await issued(target);
    expect(await openHandoff(unused.token, 'phone', now())).toBeUndefined();
    expect(await openHandoff(second.token, 'phone', now())).toBeDefined();
  });

  it('completing the step on the desktop revokes its link', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);
    await sendDocument(target);

    expect(await openHandoff(token, 'phone', now())).toBeUndefined();
    const [row] = await database.db.select().from(phoneHandoffs).where(eq(phoneHandoffs.onboardingId, target.onboardingId));
    expect(row!.revokedAt).not.toBeNull();
    expect(await handoffStatus({ ...target, stepIndex: DOCUMENT_STEP }, now())).toEqual({ step: 'moved_on', phone: 'none' });
  });

  it('the step sent from the phone ends the phone’s session, and the desktop sees it moved on', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);
    const phone = await openHandoff(token, 'phone', now());
    await sendDocument(target);

    expect(await loadActiveSession(phone!.sessionId, now())).toBeNull();
    expect(await handoffStatus({ ...target, stepIndex: DOCUMENT_STEP }, now())).toEqual({ step: 'moved_on', phone: 'none' });
  });

  it('a restart of the onboarding revokes its links', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);
    await restartOnboarding(target.userId, target.onboardingId, deps);
    // Back at the document step with a new Finqware session: the old link still opens nothing.
    await submitFormStep(target.userId, target.onboardingId, 0, PRODUCT, deps);
    await submitFormStep(target.userId, target.onboardingId, 1, PERSON, deps);
    expect(await openHandoff(token, 'phone', now())).toBeUndefined();
  });

  it('a phone session opens its own step and nothing else: not another step, onboarding or user', async () => {
    const target = await atDocumentStep();
    const other = await atDocumentStep();
    const { token } = await issued(target);
    const phone = await openHandoff(token, 'phone', now());
    const session = (await loadActiveSession(phone!.sessionId, now()))!.session;
    request.phone = { user: asUser(target.userId, session.id), handoffId: session.handoffId! };

    expect(await uploaderFor(target.onboardingId, DOCUMENT_STEP)).toMatchObject({ phone: true, user: { id: target.userId } });
    expect(await uploaderFor(target.onboardingId, DOCUMENT_STEP + 1)).toBeUndefined();
    expect(await uploaderFor(other.onboardingId, DOCUMENT_STEP)).toBeUndefined();
    // A hand-off of one user under a session of another (it cannot happen; the check holds anyway).
    request.phone = { user: asUser(other.userId, session.id), handoffId: session.handoffId! };
    expect(await uploaderFor(target.onboardingId, DOCUMENT_STEP)).toBeUndefined();
    // No session at all.
    request.phone = null;
    expect(await uploaderFor(target.onboardingId, DOCUMENT_STEP)).toBeUndefined();
  });

  it('sweeps links older than a day, and the sessions they opened', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);
    const phone = await openHandoff(token, 'phone', now());
    const fresh = await issued(await atDocumentStep());
    const phoneSession = () => database.db.select().from(authSessions).where(eq(authSessions.id, phone!.sessionId));
    const freshRow = () =>
      database.db
        .select()
        .from(phoneHandoffs)
        .where(eq(phoneHandoffs.tokenHash, hashHandoffToken(fresh.token)));
    // Earlier tests' rows are older and may go; these stay until their day is over.
    await sweepHandoffs(new Date(clock.ms + 24 * 60 * 60 * 1000 - 1000));
    expect(await phoneSession()).toHaveLength(1);
    expect(await freshRow()).toHaveLength(1);
    expect(await sweepHandoffs(new Date(clock.ms + 24 * 60 * 60 * 1000 + 1000))).toBeGreaterThanOrEqual(2);
    expect(await phoneSession()).toEqual([]);
    expect(await freshRow()).toEqual([]);
  });

  it('a phone session lasts half an hour at most, even while in use', async () => {
    const target = await atDocumentStep();
    const { token } = await issued(target);
    const phone = await openHandoff(token, 'phone', now());
    for (let minutes = 10; minutes < 30; minutes += 10) {
      clock.ms += 10 * 60 * 1000;
      expect(await loadActiveSession(phone!.sessionId, now())).not.toBeNull();
    }
    clock.ms += HANDOFF_SESSION_LIFETIME_MS - 20 * 60 * 1000;
    expect(await loadActiveSession(phone!.sessionId, now())).toBeNull();
  });
});
