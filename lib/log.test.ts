import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'trace', destination }) };
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
    const { lines, logger } = capture();
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
    const output = lines.join('');
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
    // What is not secret still reaches the log.
    expect(output).toContain('"id":"u1"');
    expect(output).toContain('application/json');
    expect(output).toContain('upstream failed');
    expect(output).toContain('[redacted]');
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
