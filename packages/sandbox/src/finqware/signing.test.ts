import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNING_AUDIENCE } from '@guidepost/provider-contracts/finqware';
import { CARD_SKILL } from './catalog';
import type { FinqwareSandbox } from './index';
import {
  answer,
  apiRequest,
  base64url,
  FILES,
  jwksOf,
  ORIGIN,
  OTHER_KEY_ID,
  signingClaims,
  SIGNING_EMAIL,
  SIGNING_KEY_ID,
  signJwt,
  START,
  TEST_CREDENTIALS,
  testSandbox,
  uploadRequest,
} from './testing';

// One key pair for the file: RSA generation is slow. Signed by hand, independently of lib/finqware.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
// The service account's published keys: only public halves, named by key id.
const signing = { email: SIGNING_EMAIL, jwks: jwksOf([publicKey, SIGNING_KEY_ID]) };

const body = JSON.stringify({
  tenant_user_id: 'user-1',
  client_id: TEST_CREDENTIALS.clientId,
  client_app_key: TEST_CREDENTIALS.clientAppKey,
  skill: CARD_SKILL,
});
const validJwt = () => signJwt(privateKey, signingClaims(body, START));

function signed(jwt: string | null, requestBody = body, path = '/sessions', authorization = `Bearer ${jwt}`): Request {
  return apiRequest(path, requestBody, { base: '/v1s', headers: jwt === null ? {} : { authorization } });
}

async function expectInvalidSignature(sandbox: FinqwareSandbox, request: Request): Promise<void> {
  const { status, body: answered } = await answer(await sandbox.handle(request));
  expect(status).toBe(401);
  expect(answered).toEqual({ id: expect.any(String), type: 'unauthorized', http: 401, code: 'invalid_signature', message: expect.any(String) });
}

describe('Finqware sandbox: signed requests on /v1s', () => {
  it('accepts a valid RS256 JWT over the exact body', async () => {
    const { sandbox } = testSandbox({ signing });
    const { status, body: answered } = await answer(await sandbox.handle(signed(validJwt())));
    expect(status).toBe(200);
    expect(answered).toMatchObject({ status: 'SESSION_CREATED' });
  });

  it('still serves /v1 on API keys alone when signing is on', async () => {
    const { sandbox } = testSandbox({ signing });
    expect((await sandbox.handle(apiRequest('/sessions', body))).status).toBe(200);
  });

  it('refuses every /v1s request when signing is not configured, while /v1 works', async () => {
    const { sandbox } = testSandbox();
    await expectInvalidSignature(sandbox, signed(validJwt()));
    expect((await sandbox.handle(apiRequest('/sessions', body))).status).toBe(200);
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const { sandbox } = testSandbox({ signing });
    await expectInvalidSignature(sandbox, signed(null));
    await expectInvalidSignature(sandbox, signed(validJwt(), body, '/sessions', `Basic ${validJwt()}`));
    await expectInvalidSignature(sandbox, signed('not.a-jwt'));
  });

  it('refuses a tampered body: the digest no longer matches', async () => {
    const { sandbox } = testSandbox({ signing });
    await expectInvalidSignature(sandbox, signed(validJwt(), body.replace('user-1', 'user-2')));
    // Same JSON, different bytes: the digest is over bytes, not meaning.
    await expectInvalidSignature(sandbox, signed(validJwt(), JSON.stringify(JSON.parse(body), null, 2)));
  });

  it('refuses a wrong digest: base64url instead of base64, or another body’s', async () => {
    const { sandbox } = testSandbox({ signing });
    const claims = signingClaims(body, START);
    const urlSafe = signJwt(privateKey, { ...claims, digest: Buffer.from(String(claims.digest), 'base64').toString('base64url') });
    // Only meaningful when the two alphabets differ for this digest, so also try a plainly wrong one.
    if (urlSafe !== signJwt(privateKey, claims)) await expectInvalidSignature(sandbox, signed(urlSafe));
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, { ...claims, digest: signingClaims('{}', START).digest })));
    const { digest: _dropped, ...withoutDigest } = claims;
    void _dropped;
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, withoutDigest)));
  });

  it('refuses an expired JWT and one living longer than 10 minutes', async () => {
    const { sandbox } = testSandbox({ signing });
    const now = Math.floor(START / 1000);
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, { ...signingClaims(body, START), iat: now - 120, exp: now - 60 })));
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, { ...signingClaims(body, START), iat: now, exp: now + 601 })));
    // Exactly 10 minutes is fine.
    expect(await sandbox.handle(signed(signJwt(privateKey, { ...signingClaims(body, START), iat: now, exp: now + 600 })))).toHaveProperty('status', 200);
  });

  it('judges the JWT on the real clock, not the clock_offset_ms knob', async () => {
    const { sandbox } = testSandbox({ signing });
    sandbox.setKnobs({ clock_offset_ms: 45 * 60 * 1000 });
    expect((await sandbox.handle(signed(validJwt()))).status).toBe(200);
  });

  it('refuses a wrong aud, iss, sub or email', async () => {
    const { sandbox } = testSandbox({ signing });
    for (const change of [{ aud: 'api.example.com' }, { iss: 'x@y.example' }, { sub: 'x@y.example' }, { email: 'x@y.example' }, { aud: undefined }]) {
      await expectInvalidSignature(sandbox, signed(signJwt(privateKey, { ...signingClaims(body, START), ...change })));
    }
    // An audience list that includes Finqware is an audience of Finqware.
    expect(await sandbox.handle(signed(signJwt(privateKey, { ...signingClaims(body, START), aud: [SIGNING_AUDIENCE] })))).toHaveProperty('status', 200);
  });

  it('refuses another key, another algorithm and an unsigned token', async () => {
    const { sandbox } = testSandbox({ signing });
    await expectInvalidSignature(sandbox, signed(signJwt(other.privateKey, signingClaims(body, START))));
    const [, payload, signature] = validJwt().split('.');
    await expectInvalidSignature(sandbox, signed(`${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.${signature}`));
    await expectInvalidSignature(sandbox, signed(`${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${payload}.${signature}`));
    await expectInvalidSignature(sandbox, signed(`${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${payload}.`));
  });

  it('checks with the key the kid names, among up to 10 published for rotation', async () => {
    const { sandbox } = testSandbox({ signing: { email: SIGNING_EMAIL, jwks: jwksOf([other.publicKey, OTHER_KEY_ID], [publicKey, SIGNING_KEY_ID]) } });
    expect(await sandbox.handle(signed(signJwt(privateKey, signingClaims(body, START))))).toHaveProperty('status', 200);
    expect(await sandbox.handle(signed(signJwt(other.privateKey, signingClaims(body, START), { kid: OTHER_KEY_ID })))).toHaveProperty('status', 200);
    // A good signature under the wrong name, a kid nobody published, and no kid at all.
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, signingClaims(body, START), { kid: OTHER_KEY_ID })));
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, signingClaims(body, START), { kid: 'c'.repeat(40) })));
    await expectInvalidSignature(sandbox, signed(signJwt(privateKey, signingClaims(body, START), { kid: undefined })));
  });

  it('refuses to start on a JWKS that is not one: no key, more than 10, a kid twice or not a key id, a key that is no RSA-2048 key', () => {
    const key = jwksOf([publicKey, SIGNING_KEY_ID]).keys[0]!;
    const kid = (index: number) => index.toString(16).padStart(40, '0');
    for (const keys of [
      [],
      Array.from({ length: 11 }, (_, index) => ({ ...key, kid: kid(index) })),
      [key, key],
      [{ ...key, kid: 'current' }],
      [{ ...key, kty: 'EC' }],
      [{ ...key, n: key.n.slice(0, 300) }],
      [{ ...key, alg: 'RS512' }],
    ]) {
      expect(() => testSandbox({ signing: { email: SIGNING_EMAIL, jwks: { keys } as never } })).toThrow(/JWKS/);
    }
    expect(() =>
      testSandbox({ signing: { email: SIGNING_EMAIL, jwks: { keys: Array.from({ length: 10 }, (_, index) => ({ ...key, kid: kid(index) })) } } }),
    ).not.toThrow();
  });

  it('accepts a signed multipart upload, whose digest covers the raw multipart bytes, and refuses it tampered', async () => {
    const { sandbox } = testSandbox({ signing });
    const send = async (path: string, payload: string) =>
      answer(await sandbox.handle(signed(signJwt(privateKey, signingClaims(payload, START)), payload, path)));
    const created = await send('/sessions', body);
    let nonce: string = created.body.nonce;
    let stepId = '';
    const steps: [string, unknown][] = [
      ['product_form', { value: '2500.50', currency: 'EUR', period: '24' }],
      [
        'personal_data',
        {
          first_name: 'Ana',
          last_name: 'P',
          date_of_birth: '1980-01-01',
          nationality: 'FR',
          address: { line1: '1 rue X', city: 'Paris', postal_code: '75001', country: 'FR' },
        },
      ],
      ['identity_document', { document_type: 'id_card' }],
    ];
    for (const [step, data] of steps) {
      const answered = await send(
        `/sessions/${created.body.session_id}/steps`,
        JSON.stringify({ client_id: TEST_CREDENTIALS.clientId, nonce, skill: CARD_SKILL, step, data }),
      );
      expect(answered.status).toBe(200);
      ({ nonce, step_id: stepId } = answered.body);
    }

    // Serialise the form once, sign those bytes, send them.
    const unsigned = uploadRequest(stepId, { nonce, file: FILES.jpeg(), back: FILES.jpeg() });
    const bytes = new Uint8Array(await unsigned.arrayBuffer());
    const jwt = signJwt(privateKey, signingClaims(bytes, START));
    const upload = (payload: Uint8Array<ArrayBuffer>) =>
      new Request(`${ORIGIN}/v1s/steps/${stepId}/upload`, {
        method: 'POST',
        headers: { 'content-type': unsigned.headers.get('content-type') ?? '', authorization: `Bearer ${jwt}` },
        body: payload,
      });
    const tampered = bytes.slice();
    const index = tampered.length - 60;
    tampered[index] = (tampered[index] ?? 0) ^ 0xff;
    await expectInvalidSignature(sandbox, upload(tampered));
    expect(sandbox.uploads()).toEqual([]);
    // Cut short, the body is judged by its signature before its form: the digest covers what was sent.
    await expectInvalidSignature(sandbox, upload(bytes.slice(0, bytes.length - 100)));
    // A JWT that does not hold is refused before the body is read.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    await expectInvalidSignature(
      sandbox,
      new Request(`${ORIGIN}/v1s/steps/${stepId}/upload`, {
        method: 'POST',
        headers: { 'content-type': unsigned.headers.get('content-type') ?? '', authorization: `Bearer ${jwt.slice(0, -4)}AAAA` },
        body: endless,
        duplex: 'half',
      } as RequestInit),
    );
    expect(pulled).toBeLessThanOrEqual(1);
    const accepted = await answer(await sandbox.handle(upload(bytes)));
    expect(accepted).toMatchObject({ status: 200, body: { step_id: stepId, nonce: expect.any(String) } });
  });
});
