import { describe, expect, it } from 'vitest';
import { isSecretName, scrubText } from './log-scrub';

describe('scrubText: secret shapes', () => {
  it.each([
    ['a query-string token', 'GET /cb?token=abc123def&page=2', 'GET /cb?token=[redacted]&page=2'],
    ['OAuth code and state', '/oauth?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', '/oauth?code=[redacted]&state=xyz'],
    [
      'password, nonce, temp_token, access_token',
      'password=p4ss&nonce=n0nce&temp_token=t3mp&access_token=acc3ss',
      'password=[redacted]&nonce=[redacted]&temp_token=[redacted]&access_token=[redacted]',
    ],
    ['a parameter in a sentence', 'exchange failed for temp_token=abc123 at step 3', 'exchange failed for temp_token=[redacted] at step 3'],
    ['a cookie header', 'cookie: authjs.session-token=eyJhbGciOiJkaXIi; theme=dark', 'cookie: authjs.session-token=[redacted]; theme=dark'],
    ['userinfo', 'connect to postgres://app:s3cr3t@db:5432/x failed', 'connect to postgres://[redacted]@db:5432/x failed'],
    ['userinfo without a user', 'redis://:s3cr3t-pass@cache:6379', 'redis://[redacted]@cache:6379'],
    ['a bearer credential', 'Authorization: Bearer abc.def-123', 'Authorization: Bearer [redacted]'],
    ['a basic credential', 'authorization: Basic dXNlcjpwYXNzd29yZA==', 'authorization: Basic [redacted]'],
    ['a JSON field', 'body {"nonce":"n-123","step":"selfie"}', 'body {"nonce":"[redacted]","step":"selfie"}'],
    ['an inspected field', "{ password: 'hunter22', user: 'ann' }", "{ password: '[redacted]', user: 'ann' }"],
    ['a JWS', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end', 'jwt [redacted] end'],
    ['a JWE (next-auth cookie)', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2In0..aXY.Y2lwaGVy.dGFn', '[redacted]'],
    ['a sealed v2 value', `sealed v2.AbCdEfGhIjK.${'A'.repeat(40)} end`, 'sealed [redacted] end'],
    ['a sealed v1 value', `sealed v1.${'b'.repeat(40)}`, 'sealed [redacted]'],
    ['a PEM private key', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----\nnext', '[redacted]\nnext'],
    ['a hand-off link', 'GET https://portal.example/h/q8Zr1xV0-Lm_3kTb9WcAaQ?x=1', 'GET https://portal.example/h/[redacted]?x=1'],
    ['a hand-off path', 'page /h/q8Zr1xV0-Lm_3kTb9WcAaQ failed', 'page /h/[redacted] failed'],
    ['a PEM key cut off', 'key -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG', 'key [redacted]'],
  ])('censors %s', (_name, text, expected) => {
    expect(scrubText(text)).toBe(expected);
  });
});

describe('scrubText: harmless text', () => {
  it.each([
    'guidance session opened',
    'GET /api/notifications?page=2&country_code=FR 200 in 12 ms',
    'Basic information about the bearer of the news',
    'bearer authentication.',
    'Next.js v16.4.6, schema v1.2.3, release v2.0',
    'user 0b7c8a52-7c43-4d7e-9f3a-3f0c2a4e7b11 at 2026-11-21T08:00:00.000Z',
    'https://portal.example.com/guidance?session=abc#top',
    'see https://github.com/@guidepost and mail support@example.com',
    "{ event: 'guidance.opened', status: 201 }",
    'Finqware said {"code":"invalid_nonce","error_id":"e-1"}',
    'Error: boom\n    at handler (/app/.next/server/app/api/route.js:1:2345)',
    'a=1 b=2 ratio=0.5',
    'GET /h/done and /api/handoff/0b7c8a52-7c43-4d7e-9f3a-3f0c2a4e7b11/2',
  ])('leaves %j as it is', (text) => {
    expect(scrubText(text)).toBe(text);
  });
});

describe('isSecretName', () => {
  it('knows names that carry secrets and leaves others', () => {
    for (const name of ['password', 'client_secret', 'temp_token', 'access_token', 'nonce', 'code', 'key', 'sig', 'X-Amz-Signature', 'apiKey']) {
      expect(isSecretName(name), name).toBe(true);
    }
    for (const name of ['page', 'country_code', 'state', 'session', 'step', 'id']) expect(isSecretName(name), name).toBe(false);
  });
});
