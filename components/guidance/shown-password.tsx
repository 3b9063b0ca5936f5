'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Countdown } from './countdown';

/** The link and the one-time password, shown once; the password exists only in this component's memory. */
export function ShownPassword({ url, password, expiresAt }: { url: string; password: string; expiresAt: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <section aria-labelledby="shown-password-heading" className="flex flex-col gap-4 rounded-lg border-2 border-blue-800 bg-blue-50 p-6">
      <h2 id="shown-password-heading" className="text-lg font-semibold">
        Your guidance is ready
      </h2>
      <p>
        <a href={url} target="_blank" rel="noopener noreferrer" className="font-semibold text-blue-900 underline">
          Open my guidance on Bridge
          <span className="sr-only"> (opens in a new tab)</span>
        </a>
      </p>
      <div className="flex flex-col gap-1">
        <label htmlFor="guidance-password" className="text-sm font-medium">
          One-time password
        </label>
        <div className="flex flex-wrap items-center gap-2">
          <input
            id="guidance-password"
            readOnly
            value={password}
            autoComplete="off"
            spellCheck={false}
            className="w-64 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-slate-900"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button type="button" variant="secondary" onClick={copy}>
            Copy password
          </Button>
          <span aria-live="polite" className="text-sm text-slate-800">
            {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Copy failed: select the password and copy it.' : ''}
          </span>
        </div>
      </div>
      <p role="note" className="rounded-md border border-amber-600 bg-amber-50 p-3 text-sm text-amber-950">
        <strong>Shown once.</strong> Type this password on the Bridge page. It will not be shown again when you reload or leave this page; for a short while you
        can ask to see it again here, after which it is deleted.
      </p>
      <p className="text-sm">
        You can show it again for <Countdown until={expiresAt} />.
      </p>
    </section>
  );
}
