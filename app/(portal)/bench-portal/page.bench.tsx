// Baseline for `npm run bench` only (built when GUIDEPOST_BENCH_BUILD=1, see next.config.mjs): the portal's layout (the
// session, the header, the notification centre) around a page with nothing of its own, to tell the layout's cost from
// each page's.
export const dynamic = 'force-dynamic';

export default function BarePortalPage() {
  return <p>Bare portal page</p>;
}
