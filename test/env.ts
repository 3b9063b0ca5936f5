import { afterEach } from 'vitest';

const globals = globalThis as unknown as { __guidepostEnv?: unknown };

/**
 * In a test file or describe block: a function that sets variables (undefined removes one) and drops the
 * cached configuration, so the next getEnv() reads them. Every change is undone after each test.
 */
export function envSetter(): (changes: Record<string, string | undefined>) => void {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    delete globals.__guidepostEnv;
  });
  return (changes) => {
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    delete globals.__guidepostEnv;
  };
}
