import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { finqwareCredentials, onboardings, onboardingSteps } from '@/lib/db/schema';
import { createFinqwareClient, type FinqwareClient, type FinqwareCredentials } from '@/lib/finqware/client';
import { createFinqwareSandbox, type FinqwareSandbox } from '@guidepost/sandbox/finqware';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { CLEAN_PDF, jpegWithGps } from '@guidepost/sandbox/testing/files';
import { shortReference } from '@/lib/short-reference';
import { isOnboardingError, type OnboardingError } from './errors';
import { MAX_ONBOARDINGS_IN_PROGRESS } from './types';
import { sanitiseUpload, type SanitisedFile } from './sanitise-upload';
import { PERSON, PRODUCT } from '@/test/onboarding-answers';
import {
  abandonOnboarding,
  clearCatalogCache,
  finishOnboarding,
  getOnboarding,
  listOnboardings,
  restartOnboarding,
  revokeAllConsents,
  revokeOnboarding,
  startOnboarding,
  submitFormStep,
  submitUploadStep,
  sweepStaleTempTokens,
  type OnboardingDeps,
} from './service';

const CREDENTIALS = { clientId: 'onboarding-client', clientAppKey: 'onboarding-app-key', clientSecret: 'onboarding-secret-0123456789' };
const CARD = 'xyz_card_sbx_#3.0';
const AISP = 'xyz_aisp_sbx_#1.0';

// Real files, made here and cleaned the way the upload route cleans them: a photo with GPS tags, a PDF.
const PDF = CLEAN_PDF;
let JPEG: SanitisedFile;
let PDF_FILE: SanitisedFile;
// One page (a passport, a selfie); an identity card's front and back.
const asUpload = (file: SanitisedFile, shownName: string) => ({ front: { file, shownName } });
const pdf = (shownName: string) => asUpload(PDF_FILE, shownName);
const jpeg = (shownName: string) => asUpload(JPEG, shownName);
const bothSides = (front: string, back: string) => ({ front: { file: JPEG, shownName: front }, back: { file: PDF_FILE, shownName: back } });

beforeAll(async () => {
  const cleaned = [await sanitiseUpload(await jpegWithGps(), 'image/jpeg'), await sanitiseUpload(PDF, 'application/pdf')];
  if (!cleaned[0]!.ok || !cleaned[1]!.ok) throw new Error('the test files should be accepted');
  JPEG = cleaned[0]!.file;
  PDF_FILE = cleaned[1]!.file;
});

describe.each(databaseKinds)('onboarding on %s', (kind) => {
  const database = useTestDatabase(kind);
  let sandbox: FinqwareSandbox;
  let clock: { ms: number };
  let deps: OnboardingDeps;
  let finqware: FinqwareClient;
  let calls: string[];
  // What Finqware answered each token exchange that reached us, so a test can ask Finqware about the consent.
  let grants: FinqwareCredentials[];

  const newUser = () => insertUser(database);

  async function throughPersonalData(userId: string): Promise<string> {
    const id = await startOnboarding(userId, CARD, deps);
    await submitFormStep(userId, id, 0, PRODUCT, deps);
    await submitFormStep(userId, id, 1, PERSON, deps);
    return id;
  }

  /** Scripts the sandbox's next faults through its control API. */
  async function scriptFaults(faults: unknown[]): Promise<void> {
    const response = await sandbox.handle(
      new Request('http://finqware.test/_control/faults', {
        method: 'POST',
        headers: { 'X-Client-Id': CREDENTIALS.clientId, 'X-Client-Secret': CREDENTIALS.clientSecret, 'content-type': 'application/json' },
        body: JSON.stringify({ faults }),
      }),
    );
    expect(response.status).toBe(200);
  }

  const rowOf = async (id: string) => (await database.db.select().from(onboardings).where(eq(onboardings.id, id)))[0]!;

  /** A card onboarding sent to its last step, whose token exchange runs at Finqware but whose answer is lost. */
  async function lostExchange(userId: string): Promise<string> {
    const id = await throughPersonalData(userId);
    await submitUploadStep(userId, id, 2, { documentType: 'passport' }, pdf('passport.pdf'), deps);
    await scriptFaults([{ operation: 'POST /tokens', action: 'drop' }]);
    // The step itself went through: the page of the onboarding tells what is left to do.
    await submitUploadStep(userId, id, 3, {}, jpeg('selfie.jpg'), deps);
    return id;
  }

  /** An account-information onboarding whose last step lost its exchange's answer. */
  async function pendingAisp(userId: string): Promise<string> {
    const id = await startOnboarding(userId, AISP, deps);
    await scriptFaults([{ operation: 'POST /tokens', action: 'drop' }]);
    await submitFormStep(userId, id, 0, { accepted: 'on' }, deps);
    expect((await getOnboarding(userId, id))?.status).toBe('exchange_pending');
    return id;
  }

  beforeEach(() => {
    clock = { ms: Date.now() };
    calls = [];
    grants = [];
    sandbox = createFinqwareSandbox({ ...CREDENTIALS, now: () => clock.ms });
    clearCatalogCache();
    finqware = createFinqwareClient({
      apiUrl: 'http://finqware.test',
      ...CREDENTIALS,
      fetch: async (input, init) => {
        const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
        calls.push(path);
        const response = await sandbox.handle(new Request(input, init));
        if (path === '/v1/tokens' && response.ok) {
          const body = (await response.clone().json()) as { credentials_id: string; access_token: string };
          grants.push({ credentialsId: body.credentials_id, accessToken: body.access_token });
        }
        return response;
      },
    });
    deps = { finqware, now: () => new Date(clock.ms) };
  });

  it('runs a whole card onboarding with uploads and stores the credentials encrypted', async () => {
    const userId = await newUser();
    const id = await throughPersonalData(userId);
    await submitUploadStep(userId, id, 2, { documentType: 'passport' }, pdf('passport.pdf'), deps);
    await submitUploadStep(userId, id, 3, {}, jpeg('selfie.jpg'), deps);

    const view = await getOnboarding(userId, id);
    expect(view?.status).toBe('completed');
    expect(view?.consent?.expiresAt.getTime()).toBeGreaterThan(Date.now());
    // Going back shows what was sent, never the file.
    expect(view?.answers[0]).toEqual(PRODUCT);
    expect(view?.answers[2]).toMatchObject({ documentType: 'passport', fileName: 'passport.pdf', fileSize: String(PDF.byteLength) });

    // Finqware received exactly the cleaned bytes, under names of ours, and the photo without metadata;
    // the name the user chose is only kept to show them (above).
    const received = sandbox.uploads();
    expect(received.map((upload) => upload.sha256)).toEqual([
      createHash('sha256').update(PDF).digest('hex'),
      createHash('sha256').update(JPEG.bytes).digest('hex'),
    ]);
    expect(received.map((upload) => upload.file_name)).toEqual(['identity-document.pdf', 'selfie.jpg']);
    expect(received.map((upload) => upload.metadata)).toEqual([null, false]);

    // Tokens, nonces and personal data are not in the database in clear.
    const issued = sandbox.issuedSecrets();
    const dump = JSON.stringify([
      await database.db.select().from(onboardings),
      await database.db.select().from(onboardingSteps),
      await database.db.select().from(finqwareCredentials),
    ]);
    for (const secret of [...issued.access_tokens, ...issued.nonces, ...issued.temp_tokens]) expect(dump).not.toContain(secret);
    expect(dump).not.toContain('Camille');
    expect((await listOnboardings(userId))[0]).toMatchObject({ status: 'completed', stepsDone: 4, stepsTotal: 4 });
  });

  it('sends an identity card’s front and back together, refusing it with one side, and keeps both names to show', async () => {
    const userId = await newUser();
    const id = await throughPersonalData(userId);
    await expect(submitUploadStep(userId, id, 2, { documentType: 'id_card' }, jpeg('front.jpg'), deps)).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Send exactly the pages this document has.',
    });
    await expect(submitUploadStep(userId, id, 2, { documentType: 'passport' }, bothSides('a.jpg', 'b.pdf'), deps)).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(sandbox.uploads()).toEqual([]);

    await submitUploadStep(userId, id, 2, { documentType: 'id_card' }, bothSides('card-front.jpg', 'card-back.pdf'), deps);
    expect(sandbox.uploads().map(({ page, file_name }) => ({ page, file_name }))).toEqual([
      { page: 'front', file_name: 'identity-document.jpg' },
      { page: 'back', file_name: 'identity-document-back.pdf' },
    ]);
    expect((await getOnboarding(userId, id))?.answers[2]).toMatchObject({
      documentType: 'id_card',
      fileName: 'card-front.jpg',
      fileSize: String(JPEG.bytes.byteLength),
      backFileName: 'card-back.pdf',
      backFileSize: String(PDF.byteLength),
    });
  });

  it('keeps the document type Finqware was told when an upload is sent again, or offers the restart', async () => {
    const userId = await newUser();
    const id = await throughPersonalData(userId);
    // The step reaches Finqware, then its file does not.
    await scriptFaults([{ operation: 'POST /steps/*/upload', action: 'error' }]);
    await expect(submitUploadStep(userId, id, 2, { documentType: 'passport' }, pdf('passport.pdf'), deps)).rejects.toMatchObject({ code: 'upstream' });
    await expect(submitUploadStep(userId, id, 2, { documentType: 'id_card' }, bothSides('f.jpg', 'b.pdf'), deps)).rejects.toMatchObject({
      code: 'invalid_input',
      restart: true,
    });
    await submitUploadStep(userId, id, 2, { documentType: 'passport' }, pdf('passport.pdf'), deps);
    expect((await getOnboarding(userId, id))?.current).toBe(3);
  });

  it('sends a step to Finqware once when it is submitted twice at the same moment', async () => {
    const userId = await newUser();
    const id = await startOnboarding(userId, CARD, deps);
    calls = [];
    const results = await Promise.allSettled([submitFormStep(userId, id, 0, PRODUCT, deps), submitFormStep(userId, id, 0, PRODUCT, deps)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(isOnboardingError(refused.reason)).toBe(true);
    expect(['in_progress', 'already_submitted']).toContain((refused.reason as OnboardingError).code);
    expect(calls.filter((path) => path.endsWith('/steps'))).toHaveLength(1);
    expect((await getOnboarding(userId, id))?.current).toBe(1);
  });

  it('asks for a restart when the nonce has expired, keeps the answers, and then completes', async () => {
    const userId = await newUser();
    const id = await throughPersonalData(userId);
    clock.ms += 31 * 60 * 1000;
    await expect(submitUploadStep(userId, id, 2, { documentType: 'id_card' }, bothSides('id-front.jpg', 'id-back.pdf'), deps)).rejects.toMatchObject({
      code: 'nonce_expired',
      restart: true,
    });
    expect((await getOnboarding(userId, id, new Date(clock.ms)))?.nonceExpired).toBe(true);

    await restartOnboarding(userId, id, deps);
    const restarted = await getOnboarding(userId, id, new Date(clock.ms));
    expect(restarted).toMatchObject({ current: 0, nonceExpired: false });
    expect(restarted?.answers[1]).toEqual(PERSON);
    await submitFormStep(userId, id, 0, restarted!.answers[0]!, deps);
    await submitFormStep(userId, id, 1, restarted!.answers[1]!, deps);
    await submitUploadStep(userId, id, 2, { documentType: 'id_card' }, bothSides('id-front.jpg', 'id-back.pdf'), deps);
    await submitUploadStep(userId, id, 3, {}, jpeg('me.jpg'), deps);
    expect((await getOnboarding(userId, id))?.status).toBe('completed');
  });

  it('turns a Finqware outage into a clear error, keeps what was typed, and goes on once it is back', async () => {
    const userId = await newUser();
    const id = await startOnboarding(userId, CARD, deps);
    sandbox.setKnobs({ error_rate: 1 });
    await expect(submitFormStep(userId, id, 0, PRODUCT, deps)).rejects.toMatchObject({ code: 'upstream' });
    expect((await getOnboarding(userId, id))?.answers[0]).toEqual(PRODUCT);
    sandbox.setKnobs({ error_rate: 0 });
    await submitFormStep(userId, id, 0, PRODUCT, deps);
    expect((await getOnboarding(userId, id))?.current).toBe(1);
  });

  it('keeps each user to their own onboardings', async () => {
    const owner = await newUser();
    const other = await newUser();
    const id = await startOnboarding(owner, CARD, deps);
    expect(await getOnboarding(other, id)).toBeUndefined();
    await expect(submitFormStep(other, id, 0, PRODUCT, deps)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('revokes the consent of a completed account-information onboarding', async () => {
    const userId = await newUser();
    const id = await startOnboarding(userId, AISP, deps);
    await submitFormStep(userId, id, 0, { accepted: 'on' }, deps);
    expect((await getOnboarding(userId, id))?.status).toBe('completed');
    await revokeOnboarding(userId, id, deps);
    const view = await getOnboarding(userId, id);
    expect(view?.status).toBe('revoked');
    expect(view?.consent?.revokedAt).toBeInstanceOf(Date);
  });

  it('turns an exchange whose answer was lost into a restart that keeps the answers', async () => {
    const userId = await newUser();
    const id = await lostExchange(userId);
    // Finqware ran the exchange (it issued the grant), but its answer never reached us.
    expect(sandbox.issuedSecrets().access_tokens).toHaveLength(1);
    expect(grants).toHaveLength(0);
    expect((await getOnboarding(userId, id))?.status).toBe('exchange_pending');
    const sessionBefore = (await rowOf(id)).finqwareSessionId;

    // "Finish onboarding": Finqware refuses the used temp_token, and the user is sent to a restart.
    const failure = (await finishOnboarding(userId, id, deps).then(
      () => undefined,
      (error: unknown) => error,
    )) as OnboardingError;
    expect(isOnboardingError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'exchange_lost', restart: true });
    expect(failure.reference).toMatch(/^[0-9a-f-]{36}$/);
    // Finqware's id (a UUID) as users see ids: its short reference, the full id kept for support.
    expect(failure.message).toContain(`(Reference: ${shortReference(failure.reference!)})`);
    const lost = await rowOf(id);
    expect(lost).toMatchObject({ status: 'exchange_lost', nonceSealed: null, lastErrorRef: failure.reference });
    expect((await getOnboarding(userId, id))?.errorReference).toBe(failure.reference);
    // Trying to finish again does not reach Finqware: nothing is left to exchange.
    await expect(finishOnboarding(userId, id, deps)).rejects.toMatchObject({ code: 'completed' });

    await restartOnboarding(userId, id, deps);
    const restarted = await getOnboarding(userId, id);
    expect(restarted).toMatchObject({ status: 'in_progress', current: 0, nonceExpired: false, errorReference: null });
    expect((await rowOf(id)).finqwareSessionId).not.toBe(sessionBefore);
    expect(restarted?.answers[0]).toEqual(PRODUCT);
    expect(restarted?.answers[1]).toEqual(PERSON);
    expect(restarted?.answers[2]).toMatchObject({ documentType: 'passport' });

    // And it can be completed this time.
    await submitFormStep(userId, id, 0, restarted!.answers[0]!, deps);
    await submitFormStep(userId, id, 1, restarted!.answers[1]!, deps);
    await submitUploadStep(userId, id, 2, { documentType: 'passport' }, pdf('passport.pdf'), deps);
    await submitUploadStep(userId, id, 3, {}, jpeg('selfie.jpg'), deps);
    expect((await getOnboarding(userId, id))?.status).toBe('completed');
  });

  it('drops temp tokens older than 30 minutes and leaves fresh ones alone', async () => {
    const userId = await newUser();
    const stale = await pendingAisp(userId);
    clock.ms += 31 * 60 * 1000;
    const fresh = await pendingAisp(userId);

    expect(await sweepStaleTempTokens(new Date(clock.ms))).toBeGreaterThanOrEqual(1);
    expect(await rowOf(stale)).toMatchObject({ status: 'exchange_lost', nonceSealed: null });
    const kept = await rowOf(fresh);
    expect(kept.status).toBe('exchange_pending');
    expect(kept.nonceSealed).not.toBeNull();
    // The swept one now offers the restart, which works.
    await restartOnboarding(userId, stale, deps);
    expect(await getOnboarding(userId, stale, new Date(clock.ms))).toMatchObject({ status: 'in_progress', current: 0 });
  });

  it('revokes every consent the user holds, and only theirs', async () => {
    const userId = await newUser();
    const other = await newUser();
    const completeAisp = async (owner: string) => {
      const id = await startOnboarding(owner, AISP, deps);
      await submitFormStep(owner, id, 0, { accepted: 'on' }, deps);
      expect((await getOnboarding(owner, id))?.status).toBe('completed');
      return { id, grant: grants.at(-1)! };
    };
    const first = await completeAisp(userId);
    const second = await completeAisp(userId);
    const theirs = await completeAisp(other);

    expect(await revokeAllConsents(userId, deps)).toBe(2);
    for (const { id, grant } of [first, second]) {
      expect((await finqware.getConsent(grant)).status).toBe('revoked');
      const view = await getOnboarding(userId, id);
      expect(view?.status).toBe('revoked');
      expect(view?.consent?.revokedAt).toBeInstanceOf(Date);
    }
    expect((await finqware.getConsent(theirs.grant)).status).toBe('active');
    expect((await getOnboarding(other, theirs.id))?.status).toBe('completed');
    // Nothing is held any more: a second run asks Finqware nothing.
    calls = [];
    expect(await revokeAllConsents(userId, deps)).toBe(0);
    expect(calls).toEqual([]);
  });

  it(`allows ${MAX_ONBOARDINGS_IN_PROGRESS} onboardings in progress at once, refuses a sixth without asking Finqware, and abandoning one frees a place`, async () => {
    const userId = await newUser();
    const other = await newUser();
    const started: string[] = [];
    for (let i = 0; i < MAX_ONBOARDINGS_IN_PROGRESS; i += 1) started.push(await startOnboarding(userId, CARD, deps));
    // A finished one does not count.
    const aisp = await startOnboarding(other, AISP, deps);
    await submitFormStep(other, aisp, 0, { accepted: 'on' }, deps);

    calls = [];
    const refused = await startOnboarding(userId, CARD, deps).catch((error: unknown) => error);
    expect(isOnboardingError(refused) && refused.code).toBe('too_many');
    expect((refused as OnboardingError).message).toBe(
      'You already have 5 onboardings in progress, the most at once. Finish one, or abandon one you no longer need (“Abandon” in Your onboardings), then start this one.',
    );
    expect(calls.filter((path) => path.endsWith('/sessions'))).toEqual([]);
    // Each user has their own limit.
    await startOnboarding(other, CARD, deps);

    // Abandoning deletes the onboarding and the answers kept with it, and frees a place.
    await submitFormStep(userId, started[0]!, 0, PRODUCT, deps);
    await abandonOnboarding(userId, started[0]!, deps);
    expect(await getOnboarding(userId, started[0]!)).toBeUndefined();
    expect(await database.db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, started[0]!))).toEqual([]);
    const sixth = await startOnboarding(userId, CARD, deps);
    expect((await listOnboardings(userId)).map((onboarding) => onboarding.id).sort()).toEqual([...started.slice(1), sixth].sort());

    // Only unfinished onboardings, and only the owner's, can be abandoned.
    await expect(abandonOnboarding(other, aisp, deps)).rejects.toMatchObject({ code: 'completed' });
    await expect(abandonOnboarding(other, sixth, deps)).rejects.toMatchObject({ code: 'not_found' });
    expect(await getOnboarding(userId, sixth)).toBeDefined();
  });

  it('lets no two starts at the same moment pass the limit together', async () => {
    const userId = await newUser();
    for (let i = 0; i < MAX_ONBOARDINGS_IN_PROGRESS - 1; i += 1) await startOnboarding(userId, CARD, deps);
    // All three pass the first check (four in progress) and wait for one another at Finqware, then race
    // to insert the fifth.
    let arrived = 0;
    let allArrived: () => void = () => undefined;
    const together = new Promise<void>((resolve) => (allArrived = resolve));
    const racing: OnboardingDeps = {
      ...deps,
      finqware: Object.assign(Object.create(finqware) as FinqwareClient, {
        startSession: async (...args: Parameters<FinqwareClient['startSession']>) => {
          if (++arrived === 3) allArrived();
          await together;
          return finqware.startSession(...args);
        },
      }),
    };
    const results = await Promise.allSettled([
      startOnboarding(userId, CARD, racing),
      startOnboarding(userId, CARD, racing),
      startOnboarding(userId, AISP, racing),
    ]);
    expect(arrived).toBe(3);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'too_many' });
    expect((await listOnboardings(userId)).filter((onboarding) => onboarding.status === 'in_progress')).toHaveLength(MAX_ONBOARDINGS_IN_PROGRESS);
  });

  it('counts onboardings waiting to finish or to be restarted as in progress', async () => {
    const userId = await newUser();
    await lostExchange(userId); // finishing: its exchange's answer was lost
    const pending = await pendingAisp(userId);
    expect((await getOnboarding(userId, pending))?.status).toBe('exchange_pending');
    for (let i = 0; i < MAX_ONBOARDINGS_IN_PROGRESS - 2; i += 1) await startOnboarding(userId, CARD, deps);
    await expect(startOnboarding(userId, CARD, deps)).rejects.toMatchObject({ code: 'too_many' });
  });
});
