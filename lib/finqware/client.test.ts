import { describe, expect, it } from 'vitest';
import { createFinqwareClient, type FinqwareClient } from './client';
import { FinqwareError } from './errors';

const KEYS = { clientId: 'tenant-client-id', clientAppKey: 'tenant-app-key', clientSecret: 'tenant-client-secret-do-not-leak' } as const;
const GRANT = { credentialsId: 'cred-1', accessToken: 'access-token-do-not-leak' };

/** A client whose fetch answers from a table by path and records each JSON body it was sent. */
function scripted(answers: Record<string, unknown>): { client: FinqwareClient; bodies: Record<string, unknown> } {
  const bodies: Record<string, unknown> = {};
  const client = createFinqwareClient({
    ...KEYS,
    apiUrl: 'https://finqware.test',
    retries: 0,
    fetch: async (input, init) => {
      const path = new URL(String(input)).pathname;
      bodies[path] = JSON.parse(new TextDecoder().decode(init?.body as Uint8Array));
      return path in answers ? Response.json(answers[path]) : Response.json({ message: 'no such path' }, { status: 404 });
    },
  });
  return { client, bodies };
}

async function failure(promise: Promise<unknown>): Promise<FinqwareError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FinqwareError);
  return error as FinqwareError;
}

describe('Finqware client mapping', () => {
  it('maps the catalog to our skills, keeping steps of unknown kinds as unknown', async () => {
    const { client, bodies } = scripted({
      '/v1/catalogs/get': [
        { skill: 'xyz_aisp_sbx_#1.0', name: 'Accounts', description: 'Read accounts', steps: [{ step: 'consent', kind: 'consent' }] },
        { skill: 'xyz_loan_sbx_#2.0', name: 'Loan', steps: [{ step: 'product_form', kind: 'product_form' }, { step: 'video', kind: 'video_call' }] },
      ],
    });
    expect(await client.catalog()).toEqual([
      { id: 'xyz_aisp_sbx_#1.0', name: 'Accounts', description: 'Read accounts', steps: [{ name: 'consent', kind: 'consent' }] },
      {
        id: 'xyz_loan_sbx_#2.0',
        name: 'Loan',
        description: '',
        steps: [
          { name: 'product_form', kind: 'product_form' },
          { name: 'video', kind: 'unknown' },
        ],
      },
    ]);
    // The catalog is browser-safe: app key, never the secret.
    expect(bodies['/v1/catalogs/get']).toEqual({ client_id: KEYS.clientId, client_app_key: KEYS.clientAppKey });
  });

  it('maps consents, accounts and balances, with amounts as decimal strings', async () => {
    const { client, bodies } = scripted({
      '/v1/consents/get': { credentials_id: 'cred-1', skill: 'xyz_aisp_sbx_#1.0', status: 'ACTIVE', consent_exp: '2025-06-01T10:00:00Z' },
      '/v1/accounts/get': [{ account_id: 'a1', iban: 'FR7630006000011234567890189', name: 'Current', currency: 'EUR' }],
      '/v1/balances/get': [
        { account_id: 'a1', amount: '1234.50', currency: 'EUR', type: 'closingBooked' },
        { account_id: 'a1', amount: 10.25, currency: 'EUR', type: 'expected' },
      ],
    });
    expect(await client.getConsent(GRANT)).toEqual({ skillId: 'xyz_aisp_sbx_#1.0', status: 'active', expiresAt: new Date('2025-06-01T10:00:00Z') });
    expect(await client.accounts('tenant-user', GRANT)).toEqual([{ accountId: 'a1', iban: 'FR7630006000011234567890189', name: 'Current', currency: 'EUR' }]);
    expect(await client.balances('tenant-user', GRANT)).toEqual([
      { accountId: 'a1', amount: '1234.50', currency: 'EUR', type: 'closingBooked' },
      { accountId: 'a1', amount: '10.25', currency: 'EUR', type: 'expected' },
    ]);
    const grantBody = { client_id: KEYS.clientId, client_secret: KEYS.clientSecret, credentials_id: GRANT.credentialsId, access_token: GRANT.accessToken };
    expect(bodies['/v1/consents/get']).toEqual(grantBody);
    expect(bodies['/v1/accounts/get']).toEqual({ ...grantBody, tenant_user_id: 'tenant-user' });
  });

  it('refuses an answer about another grant', async () => {
    const { client } = scripted({
      '/v1/consents/get': { credentials_id: 'cred-2', skill: 's', status: 'ACTIVE', consent_exp: '2025-06-01T10:00:00Z' },
      '/v1/consents/delete': { credentials_id: 'cred-2', status: 'REVOKED' },
    });
    expect((await failure(client.getConsent(GRANT))).code).toBe('invalid_response');
    expect((await failure(client.revokeConsent(GRANT))).code).toBe('invalid_response');
  });
});
