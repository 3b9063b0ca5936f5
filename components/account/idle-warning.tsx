'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';
import { staySignedInAction } from '@/app/(portal)/session-actions';
import { Button } from '@/components/ui/button';
import { Modal } from '@/components/ui/modal';
import { SESSION_ENDED_EVENT } from './form-drafts';

/** Where the login page is told why: it says so and the answers typed on this page come back after logging in. */
function loginAfterIdle(): string {
  const next = `${window.location.pathname}${window.location.search}`;
  return `/login?reason=idle&next=${encodeURIComponent(next)}`;
}

const clock = (ms: number) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

/**
 * Before the idle timeout ends the session, a dialog offers "Stay signed in". It asks the server first
 * (/api/session, which does not count as activity) because the user may be active in another tab; when the time
 * runs out it saves what was typed on the page (form-drafts.tsx) and goes to the login page, which says why.
 */
export function IdleWarning({ expiresAt: initial, warnMs, logoutAction }: { expiresAt: string; warnMs: number; logoutAction: (data: FormData) => void }) {
  const t = useTranslations('common.idle');
  const [expiresAt, setExpiresAt] = useState(() => Date.parse(initial));
  const [open, setOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  const end = useCallback(() => {
    window.dispatchEvent(new Event(SESSION_ENDED_EVENT));
    window.location.assign(loginAfterIdle());
  }, []);

  /** The session's end as the server knows it now; null when it has ended. */
  const ask = useCallback(async (): Promise<number | null> => {
    try {
      const response = await fetch('/api/session', { cache: 'no-store' });
      if (response.status === 401) return null;
      if (!response.ok) return expiresAt;
      const body = (await response.json()) as { expiresAt: string };
      return Date.parse(body.expiresAt);
    } catch {
      return expiresAt; // offline for a moment: keep counting from what we knew
    }
  }, [expiresAt]);

  // Wake up when the warning is due; activity elsewhere may have moved the end.
  useEffect(() => {
    if (open) return;
    const timer = setTimeout(
      async () => {
        const end_ = await ask();
        if (end_ === null) return end();
        if (end_ !== expiresAt) setExpiresAt(end_);
        if (end_ - Date.now() <= warnMs) {
          setNow(Date.now());
          setOpen(true);
        }
      },
      Math.max(0, expiresAt - warnMs - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [open, expiresAt, warnMs, ask, end]);

  // While the warning shows: the countdown, and at zero one last question to the server.
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(async () => {
      const at = Date.now();
      setNow(at);
      if (at < expiresAt) return;
      clearInterval(timer);
      const end_ = await ask();
      if (end_ === null || end_ <= Date.now()) return end();
      setExpiresAt(end_);
      setOpen(false);
    }, 1000);
    return () => clearInterval(timer);
  }, [open, expiresAt, ask, end]);

  const stay = async () => {
    const result = await staySignedInAction(undefined, new FormData());
    if (result?.ok && typeof result.data === 'string') {
      setExpiresAt(Date.parse(result.data));
      setOpen(false);
    } else end();
  };

  return (
    <Modal open={open} onClose={() => void stay()} role="alertdialog" title={t('title')} description={t('body', { time: clock(expiresAt - now) })}>
      <div className="flex flex-wrap justify-end gap-3">
        <form action={logoutAction}>
          <Button type="submit" variant="secondary">
            {t('logOut')}
          </Button>
        </form>
        <Button type="button" data-autofocus onClick={() => void stay()}>
          {t('stay')}
        </Button>
      </div>
    </Modal>
  );
}
