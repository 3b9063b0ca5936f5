'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Countdown } from './countdown';
import { OpenOnBridge } from './open-on-bridge';

/**
 * The link to the session and its one-time password with a copy button beside it, shown once; the password exists
 * only in this component's memory. It takes the focus when it appears (selected, ready to copy); the parent's live
 * region says so. The parent stops rendering it when the countdown reaches zero.
 */
export function ShownPassword({ url, password, expiresAt, serverNow }: { url: string; password: string; expiresAt: string; serverNow?: number }) {
  const t = useTranslations('guidance.shown');
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // The guidance page and the notification centre can both show one.
  const id = useId();
  useEffect(() => {
    field.current?.focus();
  }, []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <section aria-labelledby={`${id}-heading`} className="flex flex-col gap-4 rounded-lg border-2 border-blue-800 bg-blue-50 p-6">
      <h3 id={`${id}-heading`} className="text-lg font-semibold">
        {t('heading')}
      </h3>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <OpenOnBridge url={url} />
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-password`} className="text-sm font-medium">
            {t('passwordLabel')}
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <input
              ref={field}
              id={`${id}-password`}
              readOnly
              value={password}
              autoComplete="off"
              spellCheck={false}
              className="w-56 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-slate-900"
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button type="button" variant="secondary" onClick={copy}>
              {t('copy')}
            </Button>
          </div>
        </div>
      </div>
      <p aria-live="polite" className="min-h-5 text-sm text-slate-800">
        {copied === 'yes' ? t('copied') : copied === 'failed' ? t('copyFailed') : ''}
      </p>
      <p role="note" className="rounded-md border border-amber-600 bg-amber-50 p-3 text-sm text-amber-950">
        {t.rich('shownOnce', { strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <p className="text-sm">{t.rich('showAgainFor', { countdown: () => <Countdown until={expiresAt} serverNow={serverNow} /> })}</p>
    </section>
  );
}
