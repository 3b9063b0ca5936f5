import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { configuredSecretValues, createKnownSecrets, rememberConfiguredSecrets } from './known';

const secret = () => randomBytes(15).toString('base64url');

describe('known secret values', () => {
  it('censors a remembered value wherever it appears, and nothing else', () => {
    const known = createKnownSecrets();
    const password = 'Xq7!rT2#pL9$wZ4&kM1*';
    known.remember(password);
    expect(known.redact(password)).toBe('[redacted]');
    expect(known.redact(`password=${password}&next=1`)).toBe('password=[redacted]&next=1');
    expect(known.redact(`${password}${password} and ${password}.`)).toBe('[redacted][redacted] and [redacted].');
    expect(known.redact('Xq7!rT2#pL9$ is only its beginning')).toBe('Xq7!rT2#pL9$ is only its beginning');
    expect(known.redact('a sentence without it')).toBe('a sentence without it');
  });

  it('prefers the longest of two values that start alike', () => {
    const known = createKnownSecrets();
    known.remember('token-abcdefgh');
    known.remember('token-abcdefgh-and-more');
    expect(known.redact('[token-abcdefgh-and-more] [token-abcdefgh]')).toBe('[[redacted]] [[redacted]]');
  });

  it('ignores values too short to censor without censoring ordinary words', () => {
    const known = createKnownSecrets();
    known.remember('short');
    known.remember('');
    known.remember(undefined);
    expect(known.redact('a short sentence')).toBe('a short sentence');
    expect(known.size()).toBe(0);
  });

  it('forgets a one-off secret when its time is up, unless remembered again', () => {
    let now = 1_000_000;
    const known = createKnownSecrets({ now: () => now });
    const [nonce, token] = [secret(), secret()];
    known.remember(nonce, 60_000);
    known.remember(token, 60_000);
    now += 30_000;
    known.remember(token, 60_000);
    now += 45_000;
    expect(known.redact(`${nonce} ${token}`)).toBe(`${nonce} [redacted]`);
  });

  it('holds a bounded number of one-off secrets, dropping the least recently remembered', () => {
    const known = createKnownSecrets({ maxEntries: 3 });
    const values = [secret(), secret(), secret(), secret()];
    known.remember(values[0]);
    known.remember(values[1]);
    known.remember(values[2]);
    known.remember(values[0]);
    known.remember(values[3]);
    expect(known.size()).toBe(3);
    expect(values.map((value) => known.redact(value))).toEqual(['[redacted]', values[1], '[redacted]', '[redacted]']);
  });

  it('keeps configured secrets for the life of the process, whatever the churn of one-off ones', () => {
    let now = 0;
    const known = createKnownSecrets({ maxEntries: 2, now: () => now });
    const configured = secret();
    known.rememberForever(configured);
    for (let i = 0; i < 10; i++) known.remember(secret(), 1000);
    now += 10 * 365 * 24 * 3600 * 1000;
    expect(known.redact(`key ${configured}`)).toBe('key [redacted]');
  });

  it('knows every configured secret in the forms a log line could show', () => {
    const encryptionKey = randomBytes(32);
    const previousKey = randomBytes(32);
    const pem = `-----BEGIN PRIVATE KEY-----\n${randomBytes(48).toString('base64')}\n${randomBytes(30).toString('base64')}\n-----END PRIVATE KEY-----\n`;
    const env = parseEnv({
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: encryptionKey.toString('base64'),
      ENCRYPTION_KEYS_PREVIOUS: previousKey.toString('base64'),
      BRIDGE_CLIENT_SECRET: 'bridge-client-secret-value',
      BRIDGE_WEBHOOK_SECRETS: 'webhook-secret-current-1,webhook-secret-previous-2',
      FINQWARE_CLIENT_SECRET: 'finqware-client-secret-value',
      FINQWARE_CLIENT_APP_KEY: 'finqware-app-key-value',
      FINQWARE_SIGNING_KEY: pem,
      FINQWARE_SIGNING_EMAIL: 'signer@example.com',
      FINQWARE_SIGNING_KEY_ID: 'ab'.repeat(20),
      FINQWARE_SANDBOX_JWKS: JSON.stringify({ keys: [{ kid: 'ab'.repeat(20), kty: 'RSA', n: randomBytes(256).toString('base64url'), e: 'AQAB' }] }),
      DATABASE_URL: 'postgres://app:db-password-value@db.internal:5432/guidepost',
      REDIS_URL: 'redis://:redis-password-value@cache.internal:6379',
    });
    const known = createKnownSecrets();
    rememberConfiguredSecrets(env, known);
    const forms = [
      env.authSecret,
      encryptionKey.toString('base64'),
      encryptionKey.toString('base64url'),
      encryptionKey.toString('hex'),
      previousKey.toString('hex'),
      'bridge-client-secret-value',
      'webhook-secret-current-1',
      'webhook-secret-previous-2',
      'finqware-client-secret-value',
      'finqware-app-key-value',
      pem.split('\n')[1]!,
      'db-password-value',
      'redis-password-value',
    ];
    expect(configuredSecretValues(env)).toEqual(expect.arrayContaining(forms));
    for (const form of forms) expect(known.redact(`value: ${form}.`)).toBe('value: [redacted].');
  });
});
