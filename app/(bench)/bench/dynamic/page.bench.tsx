// Baseline for `npm run bench` only (built when GUIDEPOST_BENCH_BUILD=1, see next.config.mjs): a page rendered on every
// request under the same root layout and proxy as every page, with nothing of its own.
export const dynamic = 'force-dynamic';

export default function BareDynamicPage() {
  return <p>Bare dynamic page</p>;
}
