'use client';

import { useEffect, useState } from 'react';

/**
 * The token of an emailed link (reset, confirmation), from the address's fragment, which the server never sees:
 * undefined until hydrated, null when there is none. It is taken out of the address bar and the history at once
 * (a shared screen or a synced history must not show it); a link opened again in the same tab is read again.
 */
export function useLinkToken(): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const read = () => {
      const fromLink = window.location.hash.slice(1);
      if (fromLink) window.history.replaceState(null, '', window.location.pathname);
      setToken((current) => fromLink || (current ?? null));
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, []);
  return token;
}
