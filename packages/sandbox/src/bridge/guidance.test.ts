import { describe, expect, it } from 'vitest';
import { generateGuidancePassword } from './guidance';
import { bridgeRequest, controlRequest, createGuidanceSession, SIREN, SITE_ORIGIN, testSandbox, userWithToken } from './testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TWO_HOURS = 2 * 60 * 60 * 1000;

function hasEveryClass(password: string): boolean {
  return /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password) && /[^A-Za-z0-9]/.test(password);
}

async function setup() {
  const { sandbox, clock } = testSandbox();
  const { user, token } = await userWithToken(sandbox, 'customer-1');
  const valid = { user_uuid: user.uuid, country_code: 'FR', company_identification_number: SIREN };
  return { sandbox, clock, user, token, valid };
}

describe('Bridge sandbox: POST /v3/guidance/sessions', () => {
  it('answers 200 { id, url, password } with the url on the sandbox guidance site', async () => {
    const { sandbox, token, valid } = await setup();
    const response = await createGuidanceSession(sandbox, token, {
      ...valid,
      language: 'en',
      contact_email: 'owner@example.com',
      contact_phone_number: '+33612345678',
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['id', 'password', 'url']);
    expect(body.id).toMatch(UUID);
    expect(body.url).toBe(`${SITE_ORIGIN}/sandbox/bridge/guidance/session/${body.id}`);
    expect(body.password).toHaveLength(20);
    expect(hasEveryClass(body.password)).toBe(true);
  });

  it('accepts the optional fields as null or absent', async () => {
    const { sandbox, token, valid } = await setup();
    expect((await createGuidanceSession(sandbox, token, valid)).status).toBe(200);
    expect((await createGuidanceSession(sandbox, token, { ...valid, contact_email: null, contact_phone_number: null })).status).toBe(200);
  });

  it('gives every session its own id and password', async () => {
    const { sandbox, token, valid } = await setup();
    const first = await (await createGuidanceSession(sandbox, token, valid)).json();
    const second = await (await createGuidanceSession(sandbox, token, valid)).json();
    expect(second.id).not.toBe(first.id);
    expect(second.password).not.toBe(first.password);
  });

  it('makes 20-character passwords with upper, lower, digit and symbol, over many samples', () => {
    const samples = Array.from({ length: 2000 }, generateGuidancePassword);
    for (const password of samples) {
      expect(password).toHaveLength(20);
      expect(hasEveryClass(password)).toBe(true);
    }
    expect(new Set(samples).size).toBe(samples.length);
    // No fixed position for the guaranteed classes: each class shows up first somewhere.
    const firstCharacters = samples.map((p) => p.charAt(0));
    for (const pattern of [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/]) expect(firstCharacters.some((c) => pattern.test(c))).toBe(true);
  });

  it.each([
    ['user_uuid missing', { user_uuid: undefined }, 'user_uuid'],
    ['user_uuid not a UUID', { user_uuid: 'abc' }, 'user_uuid'],
    ['country_code missing', { country_code: undefined }, 'country_code'],
    ['country_code lower case', { country_code: 'fr' }, 'country_code'],
    ['country_code of three letters', { country_code: 'FRA' }, 'country_code'],
    ['company_identification_number missing', { company_identification_number: undefined }, 'company_identification_number'],
    ['company_identification_number of 8 digits', { company_identification_number: '52919631' }, 'company_identification_number'],
    ['company_identification_number with letters', { company_identification_number: '52919631A' }, 'company_identification_number'],
    ['company_identification_number as a number', { company_identification_number: 529196313 }, 'company_identification_number'],
    ['language not fr or en', { language: 'de' }, 'language'],
    ['contact_email not an email', { contact_email: 'not-an-email' }, 'contact_email'],
    ['contact_phone_number not E.164', { contact_phone_number: '0612345678' }, 'contact_phone_number'],
    ['contact_phone_number too short', { contact_phone_number: '+3361' }, 'contact_phone_number'],
    ['an unknown field', { companyId: SIREN }, 'companyId'],
  ])('answers 400 naming the field for %s', async (_, change, field) => {
    const { sandbox, token, valid } = await setup();
    const response = await createGuidanceSession(sandbox, token, { ...valid, ...change });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toEqual({ type: 'invalid_request', message: expect.stringContaining(field), documentation_url: expect.any(String) });
    expect(body.message.startsWith(`${field}:`) || body.message.includes(`${field}: unknown field`)).toBe(true);
  });

  it('says "must be 9 digits" for a bad company_identification_number', async () => {
    const { sandbox, token, valid } = await setup();
    const response = await createGuidanceSession(sandbox, token, { ...valid, company_identification_number: '123' });
    expect((await response.json()).message).toBe('company_identification_number: must be 9 digits');
  });

  it('answers 401 when user_uuid is not the token’s user, or an unknown user', async () => {
    const { sandbox, token, valid } = await setup();
    const other = await userWithToken(sandbox, 'customer-2');
    for (const userUuid of [other.user.uuid, '00000000-0000-4000-8000-000000000000']) {
      const response = await createGuidanceSession(sandbox, token, { ...valid, user_uuid: userUuid });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: 'user_not_authorized' });
    }
  });

  it('answers 401 user-not-found, never 404, for a deleted user whose token was issued before', async () => {
    const { sandbox, user, token, valid } = await setup();
    expect((await sandbox.handle(bridgeRequest(`/v3/aggregation/users/${user.uuid}`, { method: 'DELETE' }))).status).toBe(204);
    const response = await createGuidanceSession(sandbox, token, valid);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'invalid_access_token' });
  });

  it('answers 422 for a body that is not JSON, once the token is good', async () => {
    const { sandbox, token } = await setup();
    const response = await sandbox.handle(bridgeRequest('/v3/guidance/sessions', { body: '{"user_uuid": ', token }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ type: 'invalid_json', documentation_url: null });
    // The token is checked first: without it, the same body is a 401.
    expect((await sandbox.handle(bridgeRequest('/v3/guidance/sessions', { body: '{"user_uuid": ' }))).status).toBe(401);
  });

  it('answers 415 for a body not declared as JSON', async () => {
    const { sandbox, token, valid } = await setup();
    const response = await sandbox.handle(
      bridgeRequest('/v3/guidance/sessions', {
        body: new URLSearchParams(valid).toString(),
        token,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(response.status).toBe(415);
  });

  it('answers 401 without a token, with an unknown token and with an expired one', async () => {
    const { sandbox, clock, token, valid } = await setup();
    expect((await createGuidanceSession(sandbox, undefined, valid)).status).toBe(401);
    expect((await createGuidanceSession(sandbox, 'never-issued', valid)).status).toBe(401);
    clock.ms += TWO_HOURS;
    const expired = await createGuidanceSession(sandbox, token, valid);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ type: 'expired_access_token' });
  });

  it('answers 401 after the control API expires every token', async () => {
    const { sandbox, token, valid } = await setup();
    expect((await sandbox.handle(controlRequest('expire-tokens', {}))).status).toBe(200);
    expect((await createGuidanceSession(sandbox, token, valid)).status).toBe(401);
  });

  it('checks the app headers first: 401 invalid_client_credentials with a good token and a wrong secret', async () => {
    const { sandbox, token, valid } = await setup();
    const response = await sandbox.handle(bridgeRequest('/v3/guidance/sessions', { body: valid, token, headers: { 'Client-Secret': 'wrong' } }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'invalid_client_credentials' });
  });

  it('answers 405 for GET on the endpoint', async () => {
    const { sandbox, token } = await setup();
    expect((await sandbox.handle(bridgeRequest('/v3/guidance/sessions', { token }))).status).toBe(405);
  });

  it('records every issued password for the control API, and reset forgets them', async () => {
    const { sandbox, token, valid } = await setup();
    const first = await (await createGuidanceSession(sandbox, token, valid)).json();
    const second = await (await createGuidanceSession(sandbox, token, valid)).json();
    const listed = await sandbox.handle(controlRequest('issued-passwords'));
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ passwords: [first.password, second.password] });
    expect((await sandbox.handle(controlRequest('reset', {}))).status).toBe(204);
    expect(await (await sandbox.handle(controlRequest('issued-passwords'))).json()).toEqual({ passwords: [] });
  });
});
