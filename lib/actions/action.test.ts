import { Writable } from 'node:stream';
import { redirect } from 'next/navigation';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { CurrentUser } from '@/lib/auth/dal';
import type { StepUpOutcome } from '@/lib/auth/step-up';
import { BridgeError } from '@/lib/bridge/errors';
import { FinqwareError } from '@/lib/finqware/errors';
import { createLogger } from '@/lib/log';
import { OnboardingError } from '@/lib/onboarding/errors';
import { waitMessage } from '@/lib/auth/rate-limit';
import type { Locale } from '@/lib/i18n/locales';
import { messageRef } from '@/lib/i18n/message-ref';
import { formAction, stateAction, type ActionDeps } from './action';
import { done, invalidFields, refused } from './result';

// The wrapper every server action goes through, driven as a form would drive it, with the data-access
// layer and the step-up check replaced by fakes (their own tests live in lib/auth/).

const USER: CurrentUser = {
  id: 'user-1',
  email: 'owner@example.com',
  sessionId: 'session-1',
  authenticatedAt: new Date(),
  lastLoginAt: null,
  timeZone: null,
  locale: null,
  expiresAt: new Date(),
  emailVerified: true,
  secondFactors: { totp: false, passkey: false },
};
// Values a user would type; none may reach a log line.
const TYPED = { companyName: 'Zebra Orchard Holdings', contactEmail: 'treasury.zebra@example.com', password: 'Typed-Password-Zebra-42' };

function setup(options: { user?: CurrentUser | null; stepUp?: (password: string | undefined) => StepUpOutcome; locale?: Locale } = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, next) {
      lines.push(chunk.toString());
      next();
    },
  });
  const log = createLogger({ level: 'trace', destination });
  const currentUser = vi.fn(async () => (options.user === undefined ? USER : options.user));
  const stepUp = vi.fn(async (user: CurrentUser, password: string | undefined): Promise<StepUpOutcome> => options.stepUp?.(password) ?? { ok: true, user });
  const deps: ActionDeps = { currentUser, stepUp, log: () => log, ...(options.locale ? { locale: async () => options.locale! } : {}) };
  return { deps, currentUser, stepUp, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
};

const profile = z.object({
  companyName: z.string().trim().min(1, { error: 'Enter your company’s name.' }),
  contactEmail: z.email({ error: 'Enter a valid email address.' }),
});

/** What Next.js's redirect() threw, as the page it leads to. */
async function redirectedTo(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  const digest = (error as { digest?: unknown } | undefined)?.digest;
  if (typeof digest !== 'string' || !digest.startsWith('NEXT_REDIRECT')) throw new Error(`expected a redirect, got ${String(error)}`);
  return digest.split(';')[2]!;
}

describe('stateAction', () => {
  it('sends a visitor without a session to /login without running the action', async () => {
    const { deps, entries } = setup({ user: null });
    const run = vi.fn(async () => done());
    const action = stateAction({ name: 'test.private', input: profile, run }, deps);
    expect(await redirectedTo(action(undefined, form(TYPED)))).toBe('/login');
    expect(run).not.toHaveBeenCalled();
    expect(entries()).toMatchObject([{ event: 'action', action: 'test.private', outcome: 'unauthenticated' }]);
  });

  it('runs a public action without asking for a session', async () => {
    const { deps, currentUser } = setup({ user: null });
    const action = stateAction(
      { name: 'test.public', access: 'public', input: profile, run: async (input, { user }) => done({ name: input.companyName, user }) },
      deps,
    );
    expect(await action(undefined, form(TYPED))).toEqual({ ok: true, data: { name: TYPED.companyName, user: null } });
    expect(currentUser).not.toHaveBeenCalled();
  });

  it('puts each zod error next to its field, keeps what was typed but never the password, and does not run', async () => {
    const { deps } = setup();
    const run = vi.fn(async () => done());
    const action = stateAction({ name: 'test.fields', input: profile, keep: 'all', run }, deps);
    const result = await action(undefined, form({ ...TYPED, companyName: '  ', contactEmail: 'not-an-email' }));
    expect(result).toEqual({
      ok: false,
      error: 'invalid_input',
      fieldErrors: { companyName: ['Enter your company’s name.'], contactEmail: ['Enter a valid email address.'] },
      values: { companyName: '  ', contactEmail: 'not-an-email' },
    });
    expect(run).not.toHaveBeenCalled();
  });

  it('answers a form of hidden fields that does not parse with its one sentence', async () => {
    const { deps } = setup();
    const action = stateAction(
      { name: 'test.hidden', input: z.object({ id: z.uuid() }), invalid: { error: 'not_found', message: 'Reload the page.' }, run: async () => done() },
      deps,
    );
    expect(await action(undefined, form({ id: 'nope' }))).toEqual({ ok: false, error: 'not_found', message: 'Reload the page.' });
  });

  it('turns a zod error thrown by the work (a check that depends on stored data) into field errors', async () => {
    const { deps } = setup();
    const action = stateAction(
      { name: 'test.late', input: z.object({}), keep: ['contactEmail'], run: async (_input, { fields }) => (profile.parse(fields), done()) },
      deps,
    );
    expect(await action(undefined, form({ companyName: 'Acme', contactEmail: 'x' }))).toEqual({
      ok: false,
      error: 'invalid_input',
      fieldErrors: { contactEmail: ['Enter a valid email address.'] },
      values: { contactEmail: 'x' },
    });
  });

  it('shows our sentence and the reference for a Finqware failure, our sentence for a Bridge one', async () => {
    const { deps, entries } = setup();
    const finqware = stateAction(
      {
        name: 'test.finqware',
        input: z.object({}),
        run: async () => {
          throw new FinqwareError('unavailable', { status: 503, id: 'fq-err-123', finqwareCode: 'internal_error' });
        },
      },
      deps,
    );
    expect(await finqware(undefined, form({}))).toEqual({
      ok: false,
      error: 'upstream',
      message: 'Finqware is not answering right now. Please try again in a few minutes. (Reference: fq-err-123)',
      reference: 'fq-err-123',
    });
    const bridge = stateAction(
      {
        name: 'test.bridge',
        input: z.object({}),
        run: async () => {
          throw new BridgeError('timeout');
        },
      },
      deps,
    );
    expect(await bridge(undefined, form({}))).toEqual({
      ok: false,
      error: 'upstream',
      message: 'Bridge took too long to answer. Please try again in a few minutes.',
    });
    expect(entries()).toMatchObject([
      {
        level: 'warn',
        action: 'test.finqware',
        outcome: 'upstream',
        provider: 'finqware',
        code: 'unavailable',
        status: 503,
        providerCode: 'internal_error',
        supportId: 'fq-err-123',
      },
      { level: 'warn', action: 'test.bridge', outcome: 'upstream', provider: 'bridge', code: 'timeout' },
    ]);
  });

  it('passes our own refusals on with their code, sentence, reference and the restart', async () => {
    const { deps } = setup();
    const action = stateAction(
      {
        name: 'test.own',
        input: z.object({}),
        keep: ['amount'],
        run: async () => {
          throw new OnboardingError('nonce_expired', 'Restart it.', { restart: true, reference: 'fq-err-9' });
        },
      },
      deps,
    );
    expect(await action(undefined, form({ amount: '100' }))).toEqual({
      ok: false,
      error: 'nonce_expired',
      message: 'Restart it.',
      restart: true,
      reference: 'fq-err-9',
      values: { amount: '100' },
    });
  });

  it('asks for the password again (step-up) when the login is not recent, without running the action', async () => {
    const { deps, stepUp } = setup({ stepUp: () => ({ ok: false, reason: 'reauth' }) });
    const run = vi.fn(async () => done());
    const action = stateAction({ name: 'test.sensitive', input: profile, keep: 'all', recentLogin: true, run }, deps);
    expect(await action(undefined, form({ companyName: 'Acme', contactEmail: 'a@example.com' }))).toEqual({
      ok: false,
      error: 'reauth_required',
      message: 'For your safety, confirm it is you: type your Guidepost password.',
      values: { companyName: 'Acme', contactEmail: 'a@example.com' },
    });
    expect(stepUp).toHaveBeenCalledWith(USER, undefined, { code: undefined, passkey: undefined });
    expect(run).not.toHaveBeenCalled();
  });

  it('shows a wrong password next to the password field, and runs once the right one is typed', async () => {
    const { deps } = setup({
      stepUp: (password) =>
        password === TYPED.password
          ? { ok: true, user: { ...USER, sessionId: 'rotated' } }
          : { ok: false, reason: 'reauth', message: 'This is not your Guidepost password.' },
    });
    const run = vi.fn(async (_input: unknown, { user }: { user: CurrentUser }) => done(user.sessionId));
    const action = stateAction({ name: 'test.sensitive', input: profile, recentLogin: true, reauthMessage: 'Type it to save.', run }, deps);
    const fields = { companyName: 'Acme', contactEmail: 'a@example.com' };
    expect(await action(undefined, form({ ...fields, password: 'wrong-password-here' }))).toEqual({
      ok: false,
      error: 'reauth_required',
      message: 'Type it to save.',
      fieldErrors: { password: ['This is not your Guidepost password.'] },
    });
    expect(run).not.toHaveBeenCalled();
    // The work runs under the rotated session.
    expect(await action(undefined, form({ ...fields, password: TYPED.password }))).toEqual({ ok: true, data: 'rotated' });
  });

  it('asks for a recent login only when the action says so for this input', async () => {
    const { deps, stepUp } = setup({ stepUp: () => ({ ok: false, reason: 'reauth' }) });
    const action = stateAction(
      {
        name: 'test.maybe',
        input: z.object({ intent: z.enum(['open', 'done']) }),
        recentLogin: (input) => input.intent === 'open',
        run: async () => done('ran'),
      },
      deps,
    );
    expect(await action(undefined, form({ intent: 'done' }))).toEqual({ ok: true, data: 'ran' });
    expect(stepUp).not.toHaveBeenCalled();
    expect(await action(undefined, form({ intent: 'open' }))).toMatchObject({ ok: false, error: 'reauth_required' });
  });

  it("lets the work's redirect() through to Next.js, and rethrows what it does not know", async () => {
    const { deps, entries } = setup();
    const redirecting = stateAction({ name: 'test.redirect', input: z.object({}), run: async () => redirect('/next-step') }, deps);
    expect(await redirectedTo(redirecting(undefined, form({})))).toBe('/next-step');
    const broken = stateAction(
      {
        name: 'test.broken',
        input: z.object({}),
        run: async () => {
          throw new TypeError(`cannot read ${TYPED.companyName}`);
        },
      },
      deps,
    );
    await expect(broken(undefined, form({}))).rejects.toThrow(TypeError);
    expect(entries()).toMatchObject([
      { level: 'info', action: 'test.redirect', outcome: 'redirect' },
      { level: 'error', action: 'test.broken', outcome: 'failed', errorType: 'TypeError' },
    ]);
  });

  it('logs one line per action with its outcome and duration, and never a value the user typed', async () => {
    const { deps, lines, entries } = setup({
      stepUp: (password) =>
        password === TYPED.password ? { ok: true, user: USER } : { ok: false, reason: 'reauth', message: 'This is not your Guidepost password.' },
    });
    const save = stateAction(
      { name: 'test.save', input: profile, keep: 'all', recentLogin: true, run: async () => refused('conflict', 'Already saved.') },
      deps,
    );
    const saveAnyway = stateAction({ name: 'test.save', input: profile, keep: 'all', run: async () => done() }, deps);
    await save(undefined, form({ ...TYPED, contactEmail: 'not an email zebra' }));
    await save(undefined, form({ ...TYPED, password: 'Wrong-Zebra-Password-7' }));
    await save(undefined, form(TYPED));
    await saveAnyway(undefined, form(TYPED));
    expect(entries()).toMatchObject([
      { event: 'action', action: 'test.save', outcome: 'invalid_input', userId: USER.id, fields: ['contactEmail'] },
      { action: 'test.save', outcome: 'reauth_required', confirmation: 'refused' },
      { action: 'test.save', outcome: 'conflict' },
      { action: 'test.save', outcome: 'done' },
    ]);
    for (const entry of entries()) expect(entry.ms).toEqual(expect.any(Number));
    const output = lines.join('');
    for (const value of [...Object.values(TYPED), 'not an email zebra', 'Wrong-Zebra-Password-7', 'Zebra', 'zebra']) expect(output).not.toContain(value);
  });
});

describe('the user’s language', () => {
  // A schema as lib/company/schema.ts writes one: its messages are references to messages/.
  const company = z.object({
    companyName: z
      .string()
      .trim()
      .min(1, { error: messageRef('company.errors.companyName') }),
    identificationNumber: z.string().refine((value) => value.length === 9, { error: messageRef('company.errors.sirenLength', { count: 4 }) }),
  });

  it('says a schema’s field errors in French for a French request, and in English otherwise', async () => {
    const typed = { companyName: ' ', identificationNumber: '1234' };
    const french = setup({ locale: 'fr' });
    const inFrench = stateAction({ name: 'test.fr', input: company, keep: 'all', run: async () => done() }, french.deps);
    expect(await inFrench(undefined, form(typed))).toEqual({
      ok: false,
      error: 'invalid_input',
      fieldErrors: {
        companyName: ['Saisissez le nom de votre entreprise.'],
        identificationNumber: ['Saisissez un SIREN à 9 chiffres\u00a0: ce numéro comporte 4 chiffres.'],
      },
      // What the user typed stays as typed, even were it to look like a reference.
      values: typed,
    });
    // No language given: the request's, which is English outside a request (the unit tests).
    const inEnglish = stateAction({ name: 'test.en', input: company, run: async () => done() }, setup().deps);
    expect(await inEnglish(undefined, form(typed))).toMatchObject({
      fieldErrors: { companyName: ['Enter your company’s name.'], identificationNumber: ['Enter a 9-digit SIREN: this number has 4 digits.'] },
    });
  });

  it('says the step-up request, the spec’s sentences and the work’s references in French; other text passes as it is', async () => {
    const { deps } = setup({ locale: 'fr', stepUp: () => ({ ok: false, reason: 'reauth' }) });
    const sensitive = stateAction({ name: 'test.sensitive', input: z.object({}), recentLogin: true, run: async () => done() }, deps);
    expect(await sensitive(undefined, form({}))).toMatchObject({
      message: 'Par sécurité, confirmez qu’il s’agit bien de vous\u00a0: saisissez votre mot de passe Guidepost.',
    });
    const hidden = stateAction(
      { name: 'test.hidden', input: z.object({ id: z.uuid() }), invalid: { message: messageRef('company.errors.countryUnknown') }, run: async () => done() },
      deps,
    );
    expect(await hidden(undefined, form({ id: 'nope' }))).toMatchObject({ message: 'Choisissez un pays dans la liste.' });
    const limited = stateAction({ name: 'test.limited', input: z.object({}), run: async () => refused('rate_limited', waitMessage(61)) }, deps);
    expect(await limited(undefined, form({}))).toMatchObject({ message: 'Trop de tentatives. Veuillez patienter 2 minutes avant de réessayer.' });
    const checked = stateAction(
      { name: 'test.checked', input: z.object({}), run: async () => invalidFields({ email: [messageRef('auth.errors.emailTaken'), 'Déjà traduit.'] }) },
      deps,
    );
    expect(await checked(undefined, form({}))).toMatchObject({
      fieldErrors: { email: ['Un compte existe déjà avec cette adresse e-mail. Connectez-vous plutôt.', 'Déjà traduit.'] },
    });
    const saved = stateAction({ name: 'test.saved', input: z.object({}), run: async () => done(undefined, { message: messageRef('company.saved') }) }, deps);
    expect(await saved(undefined, form({}))).toMatchObject({ ok: true, message: 'Profil de l’entreprise enregistré.' });
  });

  it('gives a provider’s reference with the sentence in French', async () => {
    const { deps } = setup({ locale: 'fr' });
    const finqware = stateAction(
      {
        name: 'test.finqware',
        input: z.object({}),
        run: async () => {
          throw new FinqwareError('unavailable', { status: 503, id: 'fq-err-123', finqwareCode: 'internal_error' });
        },
      },
      deps,
    );
    expect(await finqware(undefined, form({}))).toMatchObject({
      message: 'Finqware ne répond pas pour le moment. Réessayez dans quelques minutes. (référence\u00a0: fq-err-123)',
      reference: 'fq-err-123',
    });
    const bridge = stateAction(
      {
        name: 'test.bridge',
        input: z.object({}),
        run: async () => {
          throw new BridgeError('timeout');
        },
      },
      deps,
    );
    const answer = await bridge(undefined, form({}));
    expect(answer).toMatchObject({ ok: false, error: 'upstream' });
    expect(answer?.ok === false && answer.message).toMatch(/^Bridge a mis trop de temps/);
  });
});

describe('formAction', () => {
  it('shows the page the result leads to, with the parsed input (none when it did not parse)', async () => {
    const { deps } = setup();
    const show = vi.fn((result: { ok: boolean }, input: { id: string } | undefined) => (input ? `/things/${input.id}?ok=${result.ok}` : '/things'));
    const action = formAction({ name: 'test.button', input: z.object({ id: z.string().regex(/^\d+$/) }), run: async () => done() }, show, deps);
    expect(await redirectedTo(action(form({ id: '42' })))).toBe('/things/42?ok=true');
    expect(await redirectedTo(action(form({ id: 'x' })))).toBe('/things');
  });

  it('stays when there is nowhere to go', async () => {
    const { deps } = setup();
    const run = vi.fn(async () => done());
    const action = formAction({ name: 'test.quiet', input: z.object({}), run }, () => undefined, deps);
    await expect(action(form({}))).resolves.toBeUndefined();
    expect(run).toHaveBeenCalledOnce();
  });
});
