import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { getEnv } from '@/lib/env';
import { configuredSecretValues, rememberConfiguredSecrets, rememberSecret, setKnownSecretsForTests } from '@/lib/secrets/known';
import { createKeyRing } from '@/lib/secrets/aead';
import { createLogger, formatLogMessage, logger as processLogger } from './log';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, output: () => lines.join(''), logger: createLogger({ level: 'trace', destination }) };
}

const SECRETS = {
  password: 'Hunter2-correct-horse-battery',
  accessToken: 'acc-token-8f7d6e5c4b3a',
  nonce: 'nonce-MDAxNmxvY2F0a',
  cookie: 'authjs.session-token=eyJhbGciOiJkaXIi',
  tempToken: 'temp-token-5d4c3b2a',
  clientSecret: 'client-secret-0a9b8c',
  bearer: 'Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig',
};

describe('logger', () => {
  it('keeps secrets out of the output at every depth', () => {
    const { output, logger } = capture();
    logger.info(
      {
        password: SECRETS.password,
        user: { id: 'u1', credentials: { password: SECRETS.password, access_token: SECRETS.accessToken } },
        request: { headers: { cookie: SECRETS.cookie, Authorization: SECRETS.bearer, 'content-type': 'application/json' } },
        steps: [{ nonce: SECRETS.nonce, data: { deeper: { still: { temp_token: SECRETS.tempToken } } } }],
        provider: { config: { client_secret: SECRETS.clientSecret } },
        note: SECRETS.bearer,
      },
      'a call',
    );
    logger.error({ err: Object.assign(new Error('upstream failed'), { token: SECRETS.accessToken }) }, 'failed');
    for (const secret of Object.values(SECRETS)) expect(output()).not.toContain(secret);
    // What is not secret still reaches the log.
    expect(output()).toContain('"id":"u1"');
    expect(output()).toContain('application/json');
    expect(output()).toContain('upstream failed');
    expect(output()).toContain('[redacted]');
  });

  it('writes one JSON object per line', () => {
    const { lines, logger } = capture();
    logger.warn({ event: 'x' }, 'hello');
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 'warn', msg: 'hello', event: 'x', app: 'guidepost' });
  });

  it('survives circular objects', () => {
    const { lines, logger } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    logger.info({ loop }, 'circular');
    expect(lines[0]).toContain('[circular]');
  });
});

// The canaries: one-off secrets as the clients register them when they enter the process, placed
// everywhere a careless line could put them. None may reach the output.
describe('log canaries', () => {
  const canary = (name: string) => `${name}-${randomBytes(12).toString('base64url')}`;

  function canaries() {
    const values = { guidancePassword: `Gp7!${randomBytes(12).toString('base64url')}#`, token: canary('tok'), nonce: canary('nonce') };
    for (const value of Object.values(values)) rememberSecret(value);
    return values;
  }

  function expectNone(output: string, values: Record<string, string>) {
    for (const [name, value] of Object.entries(values)) expect(output, `${name} reached the log`).not.toContain(value);
  }

  it.each([
    ['the message', (log: ReturnType<typeof capture>['logger'], s: string) => log.info(`opened with ${s}`)],
    ['an interpolated %s argument', (log: ReturnType<typeof capture>['logger'], s: string) => log.info({ event: 'x' }, 'opened with %s', s)],
    ['a %s argument without a merge object', (log: ReturnType<typeof capture>['logger'], s: string) => log.warn('opened with %s (%d tries)', s, 2)],
    ['a %o argument under an innocent key', (log: ReturnType<typeof capture>['logger'], s: string) => log.info('body %o', { note: s })],
    ['an error message', (log: ReturnType<typeof capture>['logger'], s: string) => log.error({ err: new Error(`refused ${s}`) }, 'failed')],
    ['an error logged alone (its message becomes msg)', (log: ReturnType<typeof capture>['logger'], s: string) => log.error(new Error(`refused ${s}`))],
    [
      'a stack',
      (log: ReturnType<typeof capture>['logger'], s: string) => {
        const error = new Error('plain');
        error.stack = `Error: plain\n    at handler (/app/${s}/route.js:1:1)`;
        log.error({ err: error }, 'failed');
      },
    ],
    [
      'a cause, two levels down',
      (log: ReturnType<typeof capture>['logger'], s: string) => {
        log.error({ err: new Error('outer', { cause: new Error('middle', { cause: new TypeError(`inner ${s}`) }) }) }, 'failed');
      },
    ],
    [
      'an AggregateError',
      (log: ReturnType<typeof capture>['logger'], s: string) => log.error({ err: new AggregateError([new Error(`one ${s}`)], 'several') }, 'failed'),
    ],
    ['a URL', (log: ReturnType<typeof capture>['logger'], s: string) => log.info({ url: `https://guidance.example/session?id=1&x=${s}` }, 'redirect')],
    ['a URL object', (log: ReturnType<typeof capture>['logger'], s: string) => log.info({ url: new URL(`https://guidance.example/${s}`) }, 'redirect')],
    ['a field with an innocent name', (log: ReturnType<typeof capture>['logger'], s: string) => log.info({ detail: { text: `answer was ${s}` } }, 'answer')],
    ['a child logger binding', (log: ReturnType<typeof capture>['logger'], s: string) => log.child({ context: s }).info('child')],
  ])('never reach the output from %s', (_where, write) => {
    const { output, logger } = capture();
    const values = canaries();
    for (const value of Object.values(values)) write(logger, value);
    expectNone(output(), values);
    expect(output()).toContain('[redacted]');
  });

  it('are scrubbed from query strings and userinfo even when nobody registered them', () => {
    const { output, logger } = capture();
    const values = {
      password: canary('pw'),
      token: canary('tk'),
      nonce: canary('nc'),
      tempToken: canary('tt'),
      accessToken: canary('at'),
      code: canary('cd'),
      userinfo: canary('ui'),
    };
    logger.info(
      { callback: `https://portal.example/cb?code=${values.code}&state=abc` },
      'GET /x?token=%s&password=%s&nonce=%s&temp_token=%s&access_token=%s',
      values.token,
      values.password,
      values.nonce,
      values.tempToken,
      values.accessToken,
    );
    logger.warn({ err: new Error(`could not reach https://admin:${values.userinfo}@db.internal:5432/app`) }, 'connection');
    expectNone(output(), values);
    expect(output()).toContain('state=abc');
    expect(output()).toContain('db.internal:5432/app');
  });

  it('never show a configured secret, even under an innocent key', () => {
    const { output, logger } = capture();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const env = {
      ...getEnv(),
      finqware: { ...getEnv().finqware, signing: { privateKeyPem: pem, email: 'signer@example.com', keyId: '0123456789abcdef0123456789abcdef01234567' } },
    };
    rememberConfiguredSecrets(env);
    const configured = configuredSecretValues(env);
    logger.info(
      {
        note: env.authSecret,
        hint: env.encryptionKey.toString('base64'),
        list: [env.bridge.clientSecret, ...env.bridge.webhookSecrets, env.finqware.clientSecret, env.finqware.clientAppKey],
        line: pem.split('\n')[1],
      },
      `configured: ${env.finqware.clientSecret} and ${env.encryptionKey.toString('hex')}`,
    );
    for (const value of configured) expect(output()).not.toContain(value);
  });

  it('the process logger knows the configured secrets without being told', () => {
    setKnownSecretsForTests(undefined);
    (globalThis as { __guidepostLogger?: unknown }).__guidepostLogger = undefined;
    processLogger();
    const { output, logger } = capture();
    logger.info({ note: getEnv().authSecret }, 'x');
    expect(output()).not.toContain(getEnv().authSecret);
  });

  it('scrub a JWT, a PEM private key and a sealed value from a message', () => {
    const { output, logger } = capture();
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${randomBytes(32).toString('base64url')}`;
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sealed = createKeyRing(randomBytes(32)).seal('a nonce', 'aad');
    logger.info(`token ${jwt} then key ${pem} then sealed ${sealed}.`);
    expect(output()).not.toContain(jwt.split('.')[2]);
    expect(output()).not.toContain(pem.split('\n')[1]);
    expect(output()).not.toContain(sealed);
    expect(JSON.parse(output()).msg).toBe('token [redacted] then key [redacted]\n then sealed [redacted].');
  });

  it('leave a harmless line as it was', () => {
    const { output, logger } = capture();
    const fields = {
      event: 'guidance.opened',
      userId: '0b7c8a52-7c43-4d7e-9f3a-3f0c2a4e7b11',
      path: '/v3/guidance/sessions',
      status: 201,
      ms: 42,
      at: new Date('2026-11-21T08:00:00Z'),
      query: '?page=2&country_code=FR',
      note: 'Basic information: bearer of good news, version v1.2.3',
    };
    logger.info(fields, 'guidance session opened for %s in %d ms (%j)', 'Acme Conseil', 42, { attempt: 1 });
    const record = JSON.parse(output());
    expect(record).toMatchObject({ ...fields, at: '2026-11-21T08:00:00.000Z', msg: 'guidance session opened for Acme Conseil in 42 ms ({"attempt":1})' });
    expect(output()).not.toContain('[redacted]');
  });
});

describe('formatLogMessage', () => {
  it('interpolates like pino, from redacted arguments', () => {
    expect(formatLogMessage('%s=%d%% of %i, %f', ['rate', 12.5, 7.9, 0.5])).toBe('rate=12.5% of 7, 0.5');
    expect(formatLogMessage('%j and %o', [{ password: 'x', a: 1 }, 'str'])).toBe(`{"password":"[redacted]","a":1} and 'str'`);
    expect(formatLogMessage('%s', [new Error('boom')])).toBe('Error: boom');
    expect(formatLogMessage('%s and %s', [Object.create(null), Symbol('s')])).toBe('[object] and Symbol(s)');
    expect(formatLogMessage('nothing to fill %s', [])).toBe('nothing to fill %s');
    expect(formatLogMessage('no specifiers', ['extra'])).toBe('no specifiers');
  });
});
