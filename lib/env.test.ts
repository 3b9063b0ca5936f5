import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYED_ENV } from '@/test/deployed-env';
import { isEnvError, looksWeak, parseEnv } from './env';

const devSecretsDir = () => mkdtempSync(path.join(tmpdir(), 'guidepost-env-'));

const deployed = DEPLOYED_ENV;

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(source, { devSecretsDir: devSecretsDir() });
  } catch (error) {
    if (isEnvError(error)) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('starts in the embedded default with no configuration at all', () => {
    const dir = devSecretsDir();
    const env = parseEnv({}, { devSecretsDir: dir });
    expect(env.database).toEqual({ kind: 'pglite', dir: '.data/pglite' });
    expect(env.bridge.sandbox).toBe(true);
    expect(env.finqware.sandbox).toBe(true);
    expect(env.bridge.apiUrl).toBe('http://127.0.0.1:3000/sandbox/bridge');
    expect(env.generatedSecrets).toBe(true);
    expect(env.encryptionKey).toHaveLength(32);
    expect(env.guidancePasswordTtlSeconds).toBe(1800);
    expect(env.recentLoginSeconds).toBe(900);
    expect(env.handoffTtlSeconds).toBe(600);
    // The generated development secret survives a restart.
    expect(parseEnv({}, { devSecretsDir: dir }).authSecret).toBe(env.authSecret);
  });

  it('names the bad variable and why, without echoing its value', () => {
    const problems = problemsOf({ PORT: 'eighty', AUTH_SECRET: 'too-short-secret', GUIDANCE_PASSWORD_TTL_SECONDS: '3600' });
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    expect(problems.find((p) => p.startsWith('AUTH_SECRET:'))).toMatch(/at least 32 characters/);
    expect(problems.find((p) => p.startsWith('GUIDANCE_PASSWORD_TTL_SECONDS:'))).toMatch(/at most 1800/);
    expect(problems.join('\n')).not.toContain('too-short-secret');
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@localhost/test' })[0]).toMatch(/^DATABASE_URL: must start with postgres:/);
  });

  it('refuses to start a deployment without real secrets or with the sandbox', () => {
    const problems = problemsOf({ NODE_ENV: 'production', APP_URL: 'https://portal.example.com' });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'AUTH_SECRET',
        'ENCRYPTION_KEY',
        'DATABASE_URL',
        'BRIDGE_API_URL',
        'BRIDGE_CLIENT_SECRET',
        'FINQWARE_API_URL',
        'FINQWARE_CLIENT_SECRET',
      ]),
    );
  });

  it('refuses plain http and every published sandbox value in a deployment, naming each variable', () => {
    const problems = problemsOf({
      ...deployed,
      APP_URL: 'http://portal.example.com',
      BRIDGE_API_URL: 'http://api.bridgeapi.io',
      FINQWARE_API_URL: 'http://api.finqware.com',
      BRIDGE_CLIENT_ID: 'sandbox-bridge-client-id',
      BRIDGE_CLIENT_SECRET: 'sandbox-bridge-client-secret',
      BRIDGE_WEBHOOK_SECRETS: 'whsec-current-0123456789,sandbox-bridge-webhook-secret',
      FINQWARE_CLIENT_ID: 'sandbox-finqware-client-id',
      FINQWARE_CLIENT_APP_KEY: 'sandbox-finqware-client-app-key',
      FINQWARE_CLIENT_SECRET: 'sandbox-finqware-client-secret',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'APP_URL',
        'BRIDGE_API_URL',
        'FINQWARE_API_URL',
        'BRIDGE_CLIENT_ID',
        'BRIDGE_CLIENT_SECRET',
        'BRIDGE_WEBHOOK_SECRETS',
        'FINQWARE_CLIENT_ID',
        'FINQWARE_CLIENT_APP_KEY',
        'FINQWARE_CLIENT_SECRET',
      ]),
    );
    expect(problems).toContain('APP_URL: must use https in a deployment');
    expect(problems.at(-1)).toMatch(/^\(this configuration is a deployment because APP_URL is not a loopback address; .*BRIDGE_API_URL is set/);
  });

  it.each([
    ['AUTH_SECRET all one character', { AUTH_SECRET: 'a'.repeat(43) }, 'AUTH_SECRET'],
    ['AUTH_SECRET a short repeated pattern', { AUTH_SECRET: '0123456789abcdef'.repeat(3) }, 'AUTH_SECRET'],
    ['ENCRYPTION_KEY all zero bytes', { ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }, 'ENCRYPTION_KEY'],
    ['ENCRYPTION_KEY one repeated byte', { ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }, 'ENCRYPTION_KEY'],
  ])('refuses %s in a deployment, naming it without its value', (_, weak, name) => {
    const problems = problemsOf({ ...deployed, ...weak });
    const problem = problems.find((p) => p.startsWith(`${name}:`));
    expect(problem).toMatch(/looks weak/);
    expect(problems.join('\n')).not.toContain(Object.values(weak)[0]);
  });

  it('tells weak from random values', () => {
    expect(looksWeak(Buffer.alloc(32))).toBe(true);
    expect(looksWeak('abcabcabcabcabcabcabcabcabcabcabc')).toBe(true);
    expect(looksWeak(Buffer.from(deployed.ENCRYPTION_KEY, 'base64'))).toBe(false);
    expect(looksWeak(deployed.AUTH_SECRET)).toBe(false);
  });

  it('accepts provider URLs with or without their version path', () => {
    const env = parseEnv({ ...deployed, BRIDGE_API_URL: 'https://api.bridgeapi.io/v3/', FINQWARE_API_URL: 'https://api.finqware.com/v1s' });
    expect(env.bridge.apiUrl).toBe('https://api.bridgeapi.io');
    expect(env.finqware.apiUrl).toBe('https://api.finqware.com');
    expect(parseEnv({ ...deployed, FINQWARE_API_URL: 'https://api.finqware.com/v1' }).finqware.apiUrl).toBe('https://api.finqware.com');
  });

  it.each([
    ['a listen address that is not loopback', { HOST: '0.0.0.0' }, 'HOST is not a loopback address'],
    ['a remote database', { DATABASE_URL: 'postgres://app@db.internal:5432/guidepost' }, 'DATABASE_URL is not a loopback address'],
    ['a remote Redis', { REDIS_URL: 'redis://cache.internal:6379' }, 'REDIS_URL is not a loopback address'],
    ['a real provider', { FINQWARE_API_URL: 'https://api.finqware.com' }, 'FINQWARE_API_URL is set'],
    ['an explicit switch', { GUIDEPOST_DEPLOYMENT: 'true' }, 'GUIDEPOST_DEPLOYMENT is true'],
  ])('recognises a deployment without APP_URL from %s, and refuses the sandbox and generated secrets', (_, sign, reason) => {
    const problems = problemsOf({ NODE_ENV: 'production', ...sign });
    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['APP_URL', 'AUTH_SECRET', 'ENCRYPTION_KEY', 'BRIDGE_API_URL']));
    expect(problems.at(-1)).toContain(reason);
  });

  it('reads the number of trusted proxy hops, 0 by default', () => {
    expect(parseEnv({}, { devSecretsDir: devSecretsDir() }).trustedProxyHops).toBe(0);
    expect(parseEnv({ TRUSTED_PROXY_HOPS: '2' }, { devSecretsDir: devSecretsDir() }).trustedProxyHops).toBe(2);
    expect(problemsOf({ TRUSTED_PROXY_HOPS: '-1' })[0]).toMatch(/^TRUSTED_PROXY_HOPS:/);
  });

  it('runs a fully configured deployment against the real providers', () => {
    const env = parseEnv(deployed);
    expect(env.deployed).toBe(true);
    expect(env.generatedSecrets).toBe(false);
    expect(env.bridge).toMatchObject({
      sandbox: false,
      apiUrl: 'https://api.bridgeapi.io',
      webhookSecrets: ['whsec-current-0123456789', 'whsec-previous-0123456789'],
    });
    expect(env.finqware.sandbox).toBe(false);
    expect(env.database.kind).toBe('postgres');
  });

  it('allows at most two webhook secrets', () => {
    expect(problemsOf({ BRIDGE_WEBHOOK_SECRETS: 'a'.repeat(20) + ',' + 'b'.repeat(20) + ',' + 'c'.repeat(20) })[0]).toMatch(
      /^BRIDGE_WEBHOOK_SECRETS: holds at most two/,
    );
  });

  it('treats a production build on loopback (app, listen address, database, Redis) as a demo, not a deployment', () => {
    const env = parseEnv(
      {
        NODE_ENV: 'production',
        APP_URL: 'http://127.0.0.1:3100',
        PORT: '3100',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        REDIS_URL: 'redis://localhost:6379',
      },
      { devSecretsDir: devSecretsDir() },
    );
    expect(env.deployed).toBe(false);
    expect(env.deploymentReasons).toEqual([]);
    expect(env.bridge.sandbox).toBe(true);
  });
});

describe('encryption key rotation', () => {
  const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
  const configured = { AUTH_SECRET: 'a'.repeat(43), ENCRYPTION_KEY: key(1) };

  it('keeps the current key and the previous ones, in order', () => {
    const env = parseEnv({ ...configured, ENCRYPTION_KEYS_PREVIOUS: ` ${key(2)} ,${key(3)},` });
    expect(env.encryptionKey).toEqual(Buffer.alloc(32, 1));
    expect(env.previousEncryptionKeys).toEqual([Buffer.alloc(32, 2), Buffer.alloc(32, 3)]);
    expect(parseEnv(configured).previousEncryptionKeys).toEqual([]);
    expect(parseEnv({ ...configured, ENCRYPTION_KEYS_PREVIOUS: '' }).previousEncryptionKeys).toEqual([]);
  });

  it('names a bad previous key by its position, never by its value', () => {
    const problems = problemsOf({ ...configured, ENCRYPTION_KEYS_PREVIOUS: `${key(2)},not-a-key-at-all` });
    expect(problems).toEqual(['ENCRYPTION_KEYS_PREVIOUS: key 2 of the list is not 32 random bytes in base64 (keys are separated by commas)']);
    expect(problems.join('\n')).not.toContain(key(2));
  });

  it('refuses previous keys without a configured current key', () => {
    const problems = problemsOf({ AUTH_SECRET: 'a'.repeat(43), ENCRYPTION_KEYS_PREVIOUS: key(2) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ENCRYPTION_KEYS_PREVIOUS: needs ENCRYPTION_KEY/);
  });

  it('refuses the current key listed as a previous one', () => {
    const problems = problemsOf({ ...configured, ENCRYPTION_KEYS_PREVIOUS: `${key(2)},${key(1)}` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^ENCRYPTION_KEYS_PREVIOUS: holds the current ENCRYPTION_KEY/);
    expect(problems[0]).not.toContain(key(1));
  });
});

describe('Finqware request signing', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const { n, e } = publicKey.export({ format: 'jwk' });
  const KEY_ID = '7e2b9c4d1f0a8e6b3c5d7f9a1b2c4d6e8f0a2b4c';
  const jwks = (kid = KEY_ID) => JSON.stringify({ keys: [{ kid, kty: 'RSA', n, e, alg: 'RS256', use: 'sig' }] });
  const signer = { FINQWARE_SIGNING_KEY: pem, FINQWARE_SIGNING_EMAIL: 'signer@tenant.example', FINQWARE_SIGNING_KEY_ID: KEY_ID };

  it('signs with the configured key id (lower-cased, as Google writes it), and gives the sandbox the published keys', () => {
    const env = parseEnv({ ...signer, FINQWARE_SIGNING_KEY_ID: KEY_ID.toUpperCase(), FINQWARE_SANDBOX_JWKS: jwks() }, { devSecretsDir: devSecretsDir() });
    expect(env.finqware.signing).toEqual({ privateKeyPem: pem, email: 'signer@tenant.example', keyId: KEY_ID });
    expect(env.finqware.sandboxJwks?.keys.map((key) => key.kid)).toEqual([KEY_ID]);
  });

  it('changes nothing in the demo default: no signing, no keys', () => {
    const env = parseEnv({}, { devSecretsDir: devSecretsDir() });
    expect(env.finqware.signing).toBeUndefined();
    expect(env.finqware.sandboxJwks).toBeUndefined();
  });

  it('is all or nothing: each missing signing variable is named, anywhere', () => {
    expect(problemsOf({ FINQWARE_SIGNING_KEY: pem, FINQWARE_SIGNING_EMAIL: 'signer@tenant.example', FINQWARE_SANDBOX_JWKS: jwks() })).toEqual([
      expect.stringMatching(/^FINQWARE_SIGNING_KEY_ID: is required when FINQWARE_SIGNING_KEY and FINQWARE_SIGNING_EMAIL are set/),
    ]);
    const problems = problemsOf({ ...deployed, FINQWARE_SIGNING_KEY_ID: KEY_ID });
    expect(problems.filter((p) => p.startsWith('FINQWARE_SIGNING'))).toEqual([
      expect.stringMatching(/^FINQWARE_SIGNING_KEY: is required/),
      expect.stringMatching(/^FINQWARE_SIGNING_EMAIL: is required/),
    ]);
  });

  it('refuses a key id that is not 40 hex digits (a thumbprint, a name), without echoing it', () => {
    for (const keyId of ['NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'my-key', 'abc123']) {
      const problems = problemsOf({ ...signer, FINQWARE_SIGNING_KEY_ID: keyId, FINQWARE_SANDBOX_JWKS: jwks() });
      expect(problems.find((p) => p.startsWith('FINQWARE_SIGNING_KEY_ID:'))).toMatch(/40 hex digits/);
      expect(problems.join('\n')).not.toContain(keyId);
    }
  });

  it('needs the published keys for the sandbox, as JSON naming our key id; a real Finqware needs none', () => {
    expect(problemsOf(signer)).toEqual([expect.stringMatching(/^FINQWARE_SANDBOX_JWKS: is required when signing is on with the Finqware sandbox/)]);
    expect(problemsOf({ ...signer, FINQWARE_SANDBOX_JWKS: '{keys:' })).toEqual([expect.stringMatching(/^FINQWARE_SANDBOX_JWKS: must be a JWKS in JSON/)]);
    expect(problemsOf({ ...signer, FINQWARE_SANDBOX_JWKS: JSON.stringify({ keys: [] }) })).toEqual(['FINQWARE_SANDBOX_JWKS: must hold at least one key']);
    expect(problemsOf({ ...signer, FINQWARE_SANDBOX_JWKS: jwks('0'.repeat(40)) })).toEqual([
      expect.stringMatching(/^FINQWARE_SANDBOX_JWKS: has no key with the id FINQWARE_SIGNING_KEY_ID/),
    ]);
    const live = parseEnv({ ...deployed, ...signer }, { devSecretsDir: devSecretsDir() });
    expect(live.finqware.signing?.keyId).toBe(KEY_ID);
    expect(live.finqware.sandboxJwks).toBeUndefined();
  });
});

describe('support contact', () => {
  it('is read from SUPPORT_EMAIL and SUPPORT_URL, and refused when not an email or a URL, naming the variable', () => {
    const env = parseEnv({ SUPPORT_EMAIL: 'help@company.example', SUPPORT_URL: 'https://help.company.example' }, { devSecretsDir: devSecretsDir() });
    expect(env.support).toEqual({ email: 'help@company.example', url: 'https://help.company.example' });
    expect(parseEnv({}, { devSecretsDir: devSecretsDir() }).support).toEqual({ email: undefined, url: undefined });
    expect(problemsOf({ SUPPORT_EMAIL: 'not an email' }).join('\n')).toContain('SUPPORT_EMAIL');
    expect(problemsOf({ SUPPORT_URL: 'javascript:alert(1)' }).join('\n')).toContain('SUPPORT_URL');
  });
});
