import createNextIntlPlugin from 'next-intl/plugin';

// next-intl finds its per-request configuration (the language, the messages) here.
const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');

// Packages with native code (sharp: libvips), WASM or worker threads stay out of the server bundle; so does
// @cantoo/pdf-lib, a large library the upload route alone needs.
// `npm run bench` builds a copy of the app into .next-bench with a few baseline routes (files named *.bench.ts(x): a
// bare static and dynamic page, empty route handlers) that no other build has.
const benchBuild = process.env.GUIDEPOST_BENCH_BUILD === '1';

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  ...(benchBuild ? { distDir: '.next-bench', pageExtensions: ['bench.tsx', 'bench.ts', 'tsx', 'ts', 'jsx', 'js'] } : {}),
  // The workspace packages ship TypeScript sources.
  transpilePackages: ['@guidepost/provider-contracts', '@guidepost/sandbox'],
  serverExternalPackages: [
    '@electric-sql/pglite',
    'argon2',
    'pino',
    'pg',
    'ioredis',
    '@zxcvbn-ts/core',
    '@zxcvbn-ts/language-common',
    '@zxcvbn-ts/language-en',
    '@zxcvbn-ts/language-fr',
    'sharp',
    '@cantoo/pdf-lib',
  ],
  experimental: {
    // Sign-up, login and profile forms are small; uploads (onboarding) get their own route handler.
    serverActions: { bodySizeLimit: '1mb' },
  },
  // Browsers ask for /favicon.ico whatever the page declares: the same mark as app/icon.svg.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/icon.svg' }];
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          // Not no-referrer: with it Chromium sends `Origin: null` on native form posts, which must pass
          // the same-origin check of server actions.
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
