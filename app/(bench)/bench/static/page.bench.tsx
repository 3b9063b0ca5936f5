// Baseline for `npm run bench` only (built when GUIDEPOST_BENCH_BUILD=1, see next.config.mjs): a static page under the
// same root layout and proxy as every page, with nothing of its own.
export const dynamic = 'force-static';

export default function BareStaticPage() {
  return <p>Bare static page</p>;
}
