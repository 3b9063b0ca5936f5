import Link from 'next/link';
import { PublicShell } from '@/components/layout/public-shell';

// Any address that is not a page: our own words and a way back, with the 404 status Next.js sets.
export default function NotFound() {
  return (
    <PublicShell width="max-w-xl">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be incomplete.</p>
      <div>
        <Link href="/" className="inline-block rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
          Go to the dashboard
        </Link>
      </div>
    </PublicShell>
  );
}
