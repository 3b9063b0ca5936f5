import { describe, expect, it } from 'vitest';
import { STEP_KINDS } from '@guidepost/provider-contracts/finqware';
import { call, TEST_CREDENTIALS, testSandbox } from './testing';

const CATALOG = '/catalogs/get';
const keys = { client_id: TEST_CREDENTIALS.clientId, client_app_key: TEST_CREDENTIALS.clientAppKey };

describe('Finqware sandbox: catalog', () => {
  it('lists the account-information and credit-card skills with their steps in order', async () => {
    const { sandbox } = testSandbox();
    const { status, body } = await call(sandbox, CATALOG, keys);
    expect(status).toBe(200);
    expect(body).toEqual(
      expect.arrayContaining([
        {
          skill: 'xyz_aisp_sbx_#1.0',
          name: 'Account information (sandbox bank)',
          description: expect.any(String),
          steps: [{ step: 'consent', kind: 'consent' }],
        },
        {
          skill: 'xyz_card_sbx_#3.0',
          name: 'Business credit card',
          description: expect.any(String),
          steps: [
            { step: 'product_form', kind: 'product_form' },
            { step: 'personal_data', kind: 'personal_data' },
            { step: 'identity_document', kind: 'identity_document' },
            { step: 'selfie', kind: 'selfie' },
          ],
        },
      ]),
    );
    for (const skill of body) for (const step of skill.steps) expect(STEP_KINDS).toContain(step.kind);
  });

  it('is served on the signed base too, but only with a signature', async () => {
    const { sandbox } = testSandbox();
    expect((await call(sandbox, CATALOG, keys, { base: '/v1s' })).status).toBe(401);
  });

  it.each([
    ['client_id', { ...keys, client_id: 'someone-else' }, 'invalid_client_id'],
    ['client_app_key', { ...keys, client_app_key: 'wrong' }, 'invalid_client_app_key'],
  ])('refuses a wrong %s with 401', async (_, body, code) => {
    const { sandbox } = testSandbox();
    const answer = await call(sandbox, CATALOG, body);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ id: expect.any(String), type: 'unauthorized', http: 401, code, message: expect.any(String) });
  });

  it('names missing and unknown fields', async () => {
    const { sandbox } = testSandbox();
    const missing = await call(sandbox, CATALOG, {});
    expect(missing).toMatchObject({ status: 400, body: { type: 'invalid_request', http: 400, code: 'missing_fields' } });
    expect(missing.body.message).toContain('client_id');
    expect(missing.body.message).toContain('client_app_key');
    const unknown = await call(sandbox, CATALOG, { ...keys, locale: 'fr' });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'unknown_fields', message: expect.stringContaining('locale') } });
  });

  it('never echoes a key in an error', async () => {
    const { sandbox } = testSandbox();
    const { body } = await call(sandbox, CATALOG, { ...keys, client_app_key: 'leaky-secret-value' });
    expect(JSON.stringify(body)).not.toContain('leaky-secret-value');
  });
});
