import Link from 'next/link';
import { Logo } from '@/components/layout/logo';
import { SiteFooter } from '@/components/layout/site-footer';

// Any address that is not a page: our own words and a way back, with the 404 status Next.js sets.
export default function NotFound() {
  return (
    <>
      <header className="border-b border-slate-300 bg-white">
        <div className="mx-auto flex max-w-4xl items-center gap-3 px-4 py-3">
          <Logo />
        </div>
      </header>
      <main id="content" className="mx-auto flex max-w-xl flex-col gap-4 px-4 py-10">
        <h1 className="text-2xl font-bold">Page not found</h1>
        <p>There is no page at this address. It may have moved, or the link may be incomplete.</p>
        <div>
          <Link href="/" className="inline-block rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
            Go to the dashboard
          </Link>
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
