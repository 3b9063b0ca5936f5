'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

// Shown while a read of the user's bank data is under way (the first one, which the page does not wait for once it
// takes long, or another tab's Refresh): the page asks the server again every few seconds, in place, so the accounts
// appear without a reload. It is no longer rendered once no read holds a consent, and then it stops.
export function RefreshWhileReading({ everyMs = 3_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
