import { randomBytes } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';
import { expect, it } from 'vitest';
import { createLogger } from '@/lib/log';
import { createKnownSecrets, setKnownSecretsForTests } from '@/lib/secrets/known';

// npm run bench:log — what the logger's redaction and scrubbing cost per line, next to plain pino
// writing the same lines. Prints figures; not a test of speed.

// Discards what is written, so the figures are the logger's own work.
const nowhere: DestinationStream = { write: () => undefined };

const LINES: Array<[string, (log: Logger) => void]> = [
  [
    'provider call (7 fields)',
    (log) =>
      log.info(
        {
          provider: 'finqware',
          path: '/v1/sessions/:id/steps',
          status: 200,
          ms: 312,
          attempt: 1,
          userId: '0b7c8a52-7c43-4d7e-9f3a-3f0c2a4e7b11',
          event: 'finqware.call',
        },
        'finqware call',
      ),
  ],
  [
    'event with %s and %d',
    (log) =>
      log.info(
        { event: 'guidance.opened', userId: '0b7c8a52-7c43-4d7e-9f3a-3f0c2a4e7b11' },
        'guidance session %s opened in %d ms',
        '5f2c9a1e-2b7d-4c1e-9a3f-7e6d5c4b3a21',
        42,
      ),
  ],
  [
    'error with stack and cause',
    (log) =>
      log.error(
        { event: 'webhook.failed', err: new Error('Bridge call failed: unavailable (503)', { cause: new TypeError('fetch failed') }) },
        'webhook work failed',
      ),
  ],
];

function microsecondsPerLine(log: Logger, write: (log: Logger) => void, iterations: number): number {
  for (let i = 0; i < 2_000; i++) write(log); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) write(log);
  return Number(process.hrtime.bigint() - start) / 1_000 / iterations;
}

it('prints the cost of a log line', () => {
  const plain = pino({ level: 'info', base: { app: 'guidepost' }, timestamp: pino.stdTimeFunctions.isoTime }, nowhere);
  const rows: string[] = [];
  for (const registered of [0, 10_000]) {
    const registry = createKnownSecrets({ maxEntries: 10_000 });
    for (let i = 0; i < registered; i++) registry.remember(randomBytes(15).toString('base64url'));
    setKnownSecretsForTests(registry);
    const scrubbed = createLogger({ level: 'info', destination: nowhere });
    for (const [label, write] of LINES) {
      const base = microsecondsPerLine(plain, write, 20_000);
      const ours = microsecondsPerLine(scrubbed, write, 20_000);
      rows.push(
        `${label.padEnd(28)} known secrets=${String(registered).padStart(6)}  plain pino ${base.toFixed(2).padStart(6)} µs  scrubbed ${ours.toFixed(2).padStart(6)} µs  (+${(ours - base).toFixed(2)} µs)`,
      );
      expect(ours).toBeGreaterThan(0);
    }
  }
  setKnownSecretsForTests(undefined);
  console.log(`\nPer log line (mean of 20,000):\n${rows.join('\n')}\n`);
});
