'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form-message';
import type { ActionState, StateAction } from '@/lib/actions/result';
import type { HandoffLink, HandoffStatus } from '@/lib/handoff/types';

// Often enough that the desktop follows the phone within seconds, rare enough to cost nothing.
const POLL_MS = 3_000;

async function fetchStatus(onboardingId: string, stepIndex: number): Promise<HandoffStatus | null> {
  const response = await fetch(`/api/handoff/${onboardingId}/${stepIndex}`, { cache: 'no-store' });
  if (!response.ok) return null;
  return (await response.json()) as HandoffStatus;
}

/**
 * The link's status, asked every few seconds and when the tab is shown again, while `enabled`. A new `link` (its
 * expiry) starts afresh: what the server said about an older link never shows against a new one.
 */
function useHandoffStatus(onboardingId: string, stepIndex: number, link: string, enabled: boolean): HandoffStatus | null | undefined {
  const [answer, setAnswer] = useState<{ link: string; status: HandoffStatus | null }>();
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    // A failed request (offline, server restarting) changes nothing: the next one tells.
    const ask = () =>
      fetchStatus(onboardingId, stepIndex).then(
        (status) => live && setAnswer({ link, status }),
        () => undefined,
      );
    const onShow = () => document.visibilityState === 'visible' && void ask();
    void ask();
    const timer = setInterval(ask, POLL_MS);
    document.addEventListener('visibilitychange', onShow);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onShow);
    };
  }, [onboardingId, stepIndex, link, enabled]);
  return answer?.link === link ? answer.status : undefined;
}

interface PhoneHandoffProps {
  onboardingId: string;
  stepIndex: number;
  /** The user's IANA zone, for the link's expiry time. */
  timeZone: string;
  /** A link made earlier (before a reload) that may still be used, or a phone already working on the step. */
  initialPhone: HandoffStatus['phone'];
  action: StateAction<HandoffLink>;
}

/**
 * "Continue on my phone" on a desktop: a single-use link to this step as a QR code and a short link, and,
 * while a phone may use it, a poll that moves the page on once the phone has sent the step. The link
 * exists only in this component's memory: the action is called directly, so it is never sent back to the
 * server as useActionState's previous state would be.
 */
export function PhoneHandoff({ onboardingId, stepIndex, timeZone, initialPhone, action }: PhoneHandoffProps) {
  const t = useTranslations('handoff.panel');
  const format = useFormatter();
  const router = useRouter();
  const [result, setResult] = useState<ActionState<HandoffLink>>(undefined);
  const [pending, startTransition] = useTransition();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const linkInput = useRef<HTMLInputElement>(null);

  const link = result?.ok ? result.data : undefined;
  const watching = initialPhone !== 'none' || link !== undefined;
  const status = useHandoffStatus(onboardingId, stepIndex, link?.expiresAt ?? '', watching);
  const movedOn = status?.step === 'moved_on';
  const connected = status?.phone === 'connected';
  // The server no longer counts the link: its ten minutes are over (or another tab made a newer one).
  const expired = link !== undefined && status?.phone === 'none';

  useEffect(() => {
    if (movedOn) router.refresh();
  }, [movedOn, router]);

  useEffect(() => {
    if (link) linkInput.current?.focus();
  }, [link]);

  function makeLink() {
    const data = new FormData();
    data.set('onboardingId', onboardingId);
    data.set('stepIndex', String(stepIndex));
    setCopied(null);
    startTransition(async () => {
      setResult(await action(undefined, data));
    });
  }

  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.link);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  const announcement = movedOn ? t('movedOn') : connected ? t('connected') : expired ? t('expired') : link ? t('waiting') : pending ? t('making') : '';
  const showLink = link !== undefined && !movedOn && !connected && !expired;

  return (
    // Phones are the phone: below the md breakpoint the panel is not shown at all.
    <section aria-labelledby="handoff-title" className="hidden flex-col gap-4 rounded-lg border border-slate-300 bg-white p-6 shadow-sm md:flex">
      <h2 id="handoff-title" className="text-lg font-semibold text-slate-900">
        {t('title')}
      </h2>
      <p>{t('intro')}</p>

      {showLink ? (
        <div className="flex flex-wrap items-start gap-6">
          {/* eslint-disable-next-line @next/next/no-img-element -- an SVG data: URL made on the server, which next/image does not take */}
          <img src={link.qrCode} alt={t('qrAlt')} width={192} height={192} className="h-48 w-48 rounded-md border border-slate-300 bg-white" />
          <div className="flex min-w-64 flex-1 flex-col gap-2">
            <p className="text-sm">{t('scan')}</p>
            <label htmlFor="handoff-link" className="text-sm font-medium">
              {t('linkLabel')}
            </label>
            <div className="flex flex-wrap items-center gap-2">
              <input
                ref={linkInput}
                id="handoff-link"
                readOnly
                value={link.link}
                autoComplete="off"
                spellCheck={false}
                className="w-full max-w-md rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm text-slate-900"
                onFocus={(event) => event.currentTarget.select()}
              />
              <Button type="button" variant="secondary" onClick={copy}>
                {t('copy')}
              </Button>
              <span aria-live="polite" className="text-sm text-slate-800">
                {copied === 'yes' ? t('copied') : copied === 'failed' ? t('copyFailed') : ''}
              </span>
            </div>
            <p className="text-sm">{t('expires', { time: format.dateTime(new Date(link.expiresAt), { hour: 'numeric', minute: '2-digit', timeZone }) })}</p>
          </div>
        </div>
      ) : null}

      {/* Always in the page: a live region announces reliably only once it is there. */}
      <p aria-live="polite" role="status" className={announcement ? 'font-medium text-slate-900' : 'sr-only'}>
        {announcement}
      </p>
      <FormMessage tone="error" message={result && !result.ok ? (result.message ?? t('failed')) : undefined} />

      {movedOn ? null : (
        <div>
          <Button type="button" variant={link || connected ? 'secondary' : 'primary'} onClick={makeLink} disabled={pending} aria-disabled={pending}>
            {link || connected ? t('again') : t('start')}
          </Button>
        </div>
      )}
    </section>
  );
}
