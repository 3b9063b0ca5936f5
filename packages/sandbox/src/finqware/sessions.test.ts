import { describe, expect, it } from 'vitest';
import { NONCE_TTL_MS, STATUS } from '@guidepost/provider-contracts/finqware';
import { AISP_SKILL, CARD_SKILL } from './catalog';
import { answer, call, controlRequest, FILES, startSession, submitStep, TEST_CREDENTIALS, testSandbox, uploadRequest, VALID_DATA } from './testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sessionBody = { tenant_user_id: 'user-1', client_id: TEST_CREDENTIALS.clientId, client_app_key: TEST_CREDENTIALS.clientAppKey, skill: CARD_SKILL };
/** A step submission's refusal [doc]: a bare `{ message }`, nothing else, under `status`. */
const bare = (status: number, message: unknown = expect.any(String)) => ({ status, body: { message } });

describe('Finqware sandbox: creating a session', () => {
  it('answers a session id, a nonce and SESSION_CREATED', async () => {
    const { sandbox } = testSandbox();
    const { status, body } = await call(sandbox, '/sessions', sessionBody);
    expect(status).toBe(200);
    expect(body).toEqual({ nonce: expect.any(String), session_id: expect.stringMatching(UUID), status: STATUS.created });
    expect(body.nonce.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a skill outside the catalog with 400 invalid_skill_name', async () => {
    const { sandbox } = testSandbox();
    const { status, body } = await call(sandbox, '/sessions', { ...sessionBody, skill: 'xyz_loan_sbx_#9.9' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ type: 'invalid_request', http: 400, code: 'invalid_skill_name' });
  });

  it('names every missing field, and unknown ones', async () => {
    const { sandbox } = testSandbox();
    const missing = await call(sandbox, '/sessions', { client_id: TEST_CREDENTIALS.clientId, skill: CARD_SKILL });
    expect(missing).toMatchObject({ status: 400, body: { code: 'missing_fields' } });
    expect(missing.body.message).toContain('tenant_user_id');
    expect(missing.body.message).toContain('client_app_key');
    const unknown = await call(sandbox, '/sessions', { ...sessionBody, redirect_url: 'https://x.test' });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'unknown_fields', message: expect.stringContaining('redirect_url') } });
    const wrongType = await call(sandbox, '/sessions', { ...sessionBody, tenant_user_id: 42 });
    expect(wrongType).toMatchObject({ status: 400, body: { code: 'invalid_field', message: expect.stringContaining('tenant_user_id') } });
  });

  it('refuses a wrong client_id or client_app_key with 401', async () => {
    const { sandbox } = testSandbox();
    expect((await call(sandbox, '/sessions', { ...sessionBody, client_id: 'nope' })).body).toMatchObject({ http: 401, code: 'invalid_client_id' });
    expect((await call(sandbox, '/sessions', { ...sessionBody, client_app_key: 'nope' })).body).toMatchObject({ http: 401, code: 'invalid_client_app_key' });
  });
});

describe('Finqware sandbox: a whole card session', () => {
  it('chains nonces through steps and uploads and ends with a temp_token', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const seen = new Set<string>([session.nonce]);
    const url = `/sessions/${session.session_id}/steps`;

    const product = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    expect(product).toEqual({ status: 200, body: { step_id: expect.stringMatching(UUID), nonce: expect.any(String), status: STATUS.inProgress, data: {} } });
    expect(seen.has(product.body.nonce)).toBe(false);
    seen.add(product.body.nonce);

    const personal = await submitStep(sandbox, session.session_id, product.body.nonce, CARD_SKILL, 'personal_data', VALID_DATA.personal_data);
    expect(personal.status).toBe(200);
    seen.add(personal.body.nonce);

    // An upload step answers its step_id and the nonce for the upload; the next step waits for the file.
    const identity = await submitStep(sandbox, session.session_id, personal.body.nonce, CARD_SKILL, 'identity_document', VALID_DATA.identity_document);
    expect(identity.body).toEqual({ step_id: expect.stringMatching(UUID), nonce: expect.any(String), status: STATUS.inProgress, data: {} });
    const early = await call(sandbox, url, { client_id: TEST_CREDENTIALS.clientId, nonce: identity.body.nonce, skill: CARD_SKILL, step: 'selfie', data: {} });
    expect(early).toEqual(bare(400, expect.stringContaining('upload')));

    const identityUpload = await answer(
      await sandbox.handle(
        uploadRequest(identity.body.step_id, { nonce: identity.body.nonce, file: FILES.pdf(), filename: 'passport.pdf', type: 'application/pdf' }),
      ),
    );
    expect(identityUpload).toEqual({ status: 200, body: { step_id: identity.body.step_id, nonce: expect.any(String), status: STATUS.inProgress, data: {} } });
    expect(seen.has(identityUpload.body.nonce)).toBe(false);

    const selfie = await submitStep(sandbox, session.session_id, identityUpload.body.nonce, CARD_SKILL, 'selfie', VALID_DATA.selfie);
    expect(selfie.status).toBe(200);
    const selfieUpload = await answer(
      await sandbox.handle(uploadRequest(selfie.body.step_id, { nonce: selfie.body.nonce, file: FILES.png(), filename: 'me.png', type: 'image/png' })),
    );
    expect(selfieUpload).toEqual({ status: 200, body: { step_id: selfie.body.step_id, status: STATUS.completed, temp_token: expect.any(String), data: {} } });
    expect(selfieUpload.body).not.toHaveProperty('nonce');

    // Nothing more to submit: the last nonce is spent and none replaced it.
    const after = await submitStep(sandbox, session.session_id, selfie.body.nonce, CARD_SKILL, 'selfie', {});
    expect(after).toEqual(bare(401, expect.stringContaining('nonce')));
  });

  it('completes a single-step skill on its step submission', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, AISP_SKILL);
    const { status, body } = await submitStep(sandbox, session.session_id, session.nonce, AISP_SKILL, 'consent', VALID_DATA.consent);
    expect(status).toBe(200);
    expect(body).toEqual({ step_id: expect.stringMatching(UUID), status: STATUS.completed, temp_token: expect.any(String), data: {} });
  });
});

describe('Finqware sandbox: nonces (refused with a bare message, as every step error)', () => {
  it('refuses a reused nonce with 401', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    expect((await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form)).status).toBe(200);
    const reused = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'personal_data', VALID_DATA.personal_data);
    expect(reused).toEqual(bare(401, expect.stringContaining('each nonce works once')));
  });

  it('refuses a wrong nonce, and another session’s nonce, with 401', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const other = await startSession(sandbox, CARD_SKILL, 'user-2');
    const wrong = await submitStep(sandbox, session.session_id, 'not-a-nonce', CARD_SKILL, 'product_form', VALID_DATA.product_form);
    expect(wrong).toEqual(bare(401));
    const crossed = await submitStep(sandbox, session.session_id, other.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    expect(crossed).toEqual(bare(401));
    // The right one still works.
    expect((await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form)).status).toBe(200);
  });

  it('expires a nonce after 30 minutes (clock_offset_ms knob)', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    await sandbox.handle(controlRequest('knobs', { clock_offset_ms: NONCE_TTL_MS + 60_000 }));
    const expired = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    expect(expired).toEqual(bare(401, expect.stringContaining('expired')));
  });

  it('keeps a nonce valid just under 30 minutes (fake clock)', async () => {
    const { sandbox, clock } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    clock.ms += NONCE_TTL_MS - 1000;
    expect((await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form)).status).toBe(200);
  });

  it('does not spend the nonce on refused data, so the user can correct it', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const refused = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', { ...VALID_DATA.product_form, value: 'lots' });
    expect(refused.status).toBe(400);
    expect((await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form)).status).toBe(200);
  });
});

describe('Finqware sandbox: step order and sessions (bare messages too)', () => {
  it('refuses a step out of order with 400 invalid_step', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const skipped = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'personal_data', VALID_DATA.personal_data);
    expect(skipped).toEqual(bare(400, expect.stringContaining('product_form')));
    const unknown = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'signature', {});
    expect(unknown).toEqual(bare(400, expect.stringContaining('no such step')));
  });

  it('answers 404 for an unknown session', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const unknown = await submitStep(sandbox, '00000000-0000-4000-8000-000000000000', session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    expect(unknown).toEqual(bare(404, expect.stringContaining('No session')));
  });

  it('refuses a skill that is not the session’s with 400', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const other = await submitStep(sandbox, session.session_id, session.nonce, AISP_SKILL, 'consent', VALID_DATA.consent);
    expect(other).toEqual(bare(400, expect.stringContaining('another skill')));
  });

  it('refuses a wrong client_id with 401', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const { status, body } = await call(sandbox, `/sessions/${session.session_id}/steps`, {
      client_id: 'other',
      nonce: session.nonce,
      skill: CARD_SKILL,
      step: 'product_form',
      data: VALID_DATA.product_form,
    });
    expect({ status, body }).toEqual(bare(401, expect.stringContaining('client_id')));
  });
});

describe('Finqware sandbox: step data answers a bare { message }', () => {
  const cases: [string, string, unknown, string][] = [
    ['product_form', 'three decimals', { ...VALID_DATA.product_form, value: '2500.505' }, 'data.value'],
    ['product_form', 'a number, not a string', { ...VALID_DATA.product_form, value: 100000 }, 'data.value'],
    ['product_form', 'zero', { ...VALID_DATA.product_form, value: '0.00' }, 'data.value'],
    ['product_form', 'an unknown currency', { ...VALID_DATA.product_form, currency: 'XYZ' }, 'data.currency'],
    ['product_form', 'a lowercase currency', { ...VALID_DATA.product_form, currency: 'eur' }, 'data.currency'],
    ['product_form', 'a period of 0', { ...VALID_DATA.product_form, period: '0' }, 'data.period'],
    ['product_form', 'a period of 121', { ...VALID_DATA.product_form, period: '121' }, 'data.period'],
    ['product_form', 'a missing period', { value: '100', currency: 'EUR' }, 'data.period'],
    ['product_form', 'an unknown field', { ...VALID_DATA.product_form, colour: 'gold' }, 'data.colour'],
  ];

  it.each(cases)('%s: refuses %s', async (step, _, data, field) => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const { status, body } = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, step, data);
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(['message']);
    expect(body.message).toContain(field);
  });

  it('accepts the decimal forms of seed 003', async () => {
    for (const value of ['100000', '2500.50', '0.5', '1']) {
      const { sandbox } = testSandbox();
      const session = await startSession(sandbox, CARD_SKILL);
      expect((await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', { value, currency: 'RON', period: '120' })).status).toBe(
        200,
      );
    }
  });

  const personal: [string, unknown, string][] = [
    ['an impossible date', { ...VALID_DATA.personal_data, date_of_birth: '1990-02-30' }, 'data.date_of_birth'],
    ['another date format', { ...VALID_DATA.personal_data, date_of_birth: '17/05/1990' }, 'data.date_of_birth'],
    ['a minor', { ...VALID_DATA.personal_data, date_of_birth: '2008-03-02' }, 'data.date_of_birth'],
    ['a three-letter nationality', { ...VALID_DATA.personal_data, nationality: 'ROU' }, 'data.nationality'],
    ['an unassigned country', { ...VALID_DATA.personal_data, nationality: 'ZZ' }, 'data.nationality'],
    ['an empty first name', { ...VALID_DATA.personal_data, first_name: ' ' }, 'data.first_name'],
    ['a missing last name', { ...VALID_DATA.personal_data, last_name: undefined }, 'data.last_name'],
    ['a missing city', { ...VALID_DATA.personal_data, address: { ...VALID_DATA.personal_data.address, city: undefined } }, 'data.address.city'],
    ['a bad address country', { ...VALID_DATA.personal_data, address: { ...VALID_DATA.personal_data.address, country: 'Romania' } }, 'data.address.country'],
    ['an address that is a string', { ...VALID_DATA.personal_data, address: 'Bucharest' }, 'data.address'],
  ];

  it.each(personal)('personal_data: refuses %s', async (_, data, field) => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const first = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    const { status, body } = await submitStep(sandbox, session.session_id, first.body.nonce, CARD_SKILL, 'personal_data', data);
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(['message']);
    expect(body.message).toContain(field);
  });

  it('personal_data: accepts someone who turned 18 today, with an optional line2', async () => {
    // The test clock is 2025-03-01.
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const first = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    const data = { ...VALID_DATA.personal_data, date_of_birth: '2007-03-01', address: { ...VALID_DATA.personal_data.address, line2: 'Apt 4' } };
    expect((await submitStep(sandbox, session.session_id, first.body.nonce, CARD_SKILL, 'personal_data', data)).status).toBe(200);
  });

  it('identity_document, consent and selfie: refuse what does not fit', async () => {
    const { sandbox } = testSandbox();
    const aisp = await startSession(sandbox, AISP_SKILL);
    for (const data of [{ accepted: false }, { accepted: 'true' }, {}]) {
      const { status, body } = await submitStep(sandbox, aisp.session_id, aisp.nonce, AISP_SKILL, 'consent', data);
      expect(status).toBe(400);
      expect(body.message).toContain('data.accepted');
    }
    const card = await startSession(sandbox, CARD_SKILL);
    const a = await submitStep(sandbox, card.session_id, card.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    const b = await submitStep(sandbox, card.session_id, a.body.nonce, CARD_SKILL, 'personal_data', VALID_DATA.personal_data);
    const visa = await submitStep(sandbox, card.session_id, b.body.nonce, CARD_SKILL, 'identity_document', { document_type: 'visa' });
    expect(visa).toMatchObject({ status: 400, body: { message: expect.stringContaining('data.document_type') } });
  });

  it('answers body problems bare too: missing fields, unknown fields, data not an object, not JSON', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const url = `/sessions/${session.session_id}/steps`;
    const missing = await call(sandbox, url, { client_id: TEST_CREDENTIALS.clientId, nonce: session.nonce, skill: CARD_SKILL });
    expect(missing).toEqual({ status: 400, body: { message: expect.stringMatching(/step.*data|data.*step/) } });
    const unknown = await call(sandbox, url, {
      client_id: TEST_CREDENTIALS.clientId,
      nonce: session.nonce,
      skill: CARD_SKILL,
      step: 'product_form',
      data: {},
      extra: 1,
    });
    expect(unknown).toEqual({ status: 400, body: { message: expect.stringContaining('extra') } });
    const notObject = await call(sandbox, url, {
      client_id: TEST_CREDENTIALS.clientId,
      nonce: session.nonce,
      skill: CARD_SKILL,
      step: 'product_form',
      data: 'x',
    });
    expect(notObject).toEqual({ status: 400, body: { message: expect.stringContaining('data') } });
    const notJson = await call(sandbox, url, '{');
    expect(notJson).toEqual({ status: 400, body: { message: expect.any(String) } });
  });
});
