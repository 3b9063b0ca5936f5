import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import guidepost from './eslint/no-instanceof-own-class.mjs';

// The workspace's boundaries (README, "Architecture"): the product (app/, components/, lib/) and the
// simulators (packages/sandbox) meet only through the wire contract (packages/provider-contracts) and
// the one mount (app/sandbox/mount.ts). Paths are resolved, so relative escapes count too.
const PRODUCT = ['./app', './components', './lib', './proxy.ts', './instrumentation.ts'];
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing.ts', '**/testing-files.ts'];

const boundaries = [
  {
    // The sandbox gets its configuration and logger injected: nothing from the product or Next.js.
    target: './packages/sandbox',
    from: [...PRODUCT, './test', './e2e', './bench', './scripts'],
    message: "The sandbox is built from the providers' documents: it imports only the contracts package, never the product.",
  },
  {
    target: './packages/provider-contracts',
    from: [...PRODUCT, './packages/sandbox', './test', './e2e', './bench', './scripts'],
    message: 'The wire contract stands alone: both the client and the simulator depend on it, never the reverse.',
  },
];

const productBoundary = {
  // Only the mount route builds the simulators; tests may drive them directly.
  target: PRODUCT,
  from: './packages/sandbox',
  message: 'The product reaches the simulators over HTTP only; app/sandbox/mount.ts is the one place that builds them.',
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    plugins: { guidepost },
    rules: {
      'guidepost/no-instanceof-own-class': 'error',
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': ['error', { zones: boundaries }],
    },
  },
  {
    files: ['app/**', 'components/**', 'lib/**', 'proxy.ts', 'instrumentation.ts'],
    ignores: [...TESTS, 'app/sandbox/mount.ts'],
    rules: {
      'import/no-restricted-paths': ['error', { zones: [...boundaries, productBoundary] }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'next-intl/server',
              importNames: ['getTranslations'],
              message: "Use getTranslations from '@/lib/i18n/server': it compiles each message once per process, not once per request.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/sandbox/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/*', 'next', 'next/*', 'next-auth', 'next-auth/*', 'server-only'],
              message: 'The sandbox runs outside Next.js and imports nothing from the product.',
            },
          ],
        },
      ],
    },
  },
  {
    ignores: ['.next/**', '.next-bench/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'lib/db/migrations/**'],
  },
];

export default config;
