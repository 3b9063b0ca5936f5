import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import guidepost from './eslint/no-instanceof-own-class.mjs';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    plugins: { guidepost },
    rules: { 'guidepost/no-instanceof-own-class': 'error' },
  },
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'lib/db/migrations/**'] },
];

export default config;
