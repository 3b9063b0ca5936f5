import { randomBytes } from 'node:crypto';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rememberSecret } from '@/lib/secrets/known';
import { scrubConsole } from './console-scrub';

function capturedConsole() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const target = new Console({ stdout: stream, stderr: stream });
  scrubConsole(target);
  return { target, output: () => text };
}

// What Next.js prints for an error that escaped a page, an action or a route handler goes through
// console.error, outside the logger: it is scrubbed the same way.
describe('scrubConsole', () => {
  it('keeps known secrets out of errors Next.js would print: message, stack and causes', () => {
    const { target, output } = capturedConsole();
    const password = `Gp-${randomBytes(12).toString('base64url')}`;
    const nonce = `nonce-${randomBytes(12).toString('base64url')}`;
    rememberSecret(password);
    rememberSecret(nonce);
    const error = new Error(`render failed for ${password}`, { cause: new Error(`upstream said ${nonce}`) });
    target.error(' ⨯', error);
    target.warn('retrying with %s', nonce);
    target.log({ note: password, nested: { password: 'unregistered-password' } });
    expect(output()).not.toContain(password);
    expect(output()).not.toContain(nonce);
    expect(output()).not.toContain('unregistered-password');
    // Still useful: the stack and the cause are printed, censored.
    expect(output()).toContain('render failed for [redacted]');
    expect(output()).toContain('[cause]: Error: upstream said [redacted]');
    expect(output()).toMatch(/\n\s+at /);
  });

  it('censors secret shapes and leaves harmless lines alone', () => {
    const { target, output } = capturedConsole();
    target.error('fetch https://x.example/cb?access_token=abc123def failed');
    target.info('ready on port %d', 3000);
    expect(output()).toBe('fetch https://x.example/cb?access_token=[redacted] failed\nready on port 3000\n');
  });

  it('is installed once', () => {
    const { target, output } = capturedConsole();
    const first = target.error;
    scrubConsole(target);
    expect(target.error).toBe(first);
    target.error('once');
    expect(output()).toBe('once\n');
  });
});
