import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '..');

// Benchmarks print figures; they are not part of `npm test`.
export default defineConfig({
  root,
  resolve: {
    alias: {
      '@': root,
      'server-only': path.join(root, 'test/server-only-stub.ts'),
    },
  },
  test: {
    include: ['bench/**/*.bench-run.ts'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    execArgv: ['--expose-gc'],
  },
});
