'use client';

import { useTranslations } from 'next-intl';
import { usePassed } from './clock';
import type { PasswordState } from './guidance-workspace';

/**
 * A session's password state as it is now: one the server saw held turns to "expired" when its time comes, without
 * a reload (the server records it at the next request).
 */
export function SessionState({ state, expiresAt, serverNow }: { state: PasswordState; expiresAt: string; serverNow: number }) {
  const t = useTranslations('guidance.sessions.state');
  const passed = usePassed(expiresAt, serverNow);
  return <span className="font-medium">{t(state === 'held' && passed ? 'expired' : state)}</span>;
}
