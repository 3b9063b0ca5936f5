import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // Server-only modules are exercised directly by the tests.
      'server-only': path.resolve(import.meta.dirname, 'test/server-only-stub.ts'),
    },
  },
  test: {
    include: [
      'lib/**/*.test.ts',
      'packages/*/src/**/*.test.{ts,tsx}',
      'components/**/*.test.{ts,tsx}',
      'app/**/*.test.ts',
      'test/**/*.test.ts',
      'messages/**/*.test.ts',
    ],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite databases are heavy; two workers fit the 2-core machines.
    maxWorkers: 2,
    // next-auth imports 'next/server' without an extension, which Node's own ESM loader refuses:
    // transformed by Vite instead, its route handlers run in the tests (lib/auth/signout.test.ts).
    server: { deps: { inline: ['next-auth'] } },
  },
});
