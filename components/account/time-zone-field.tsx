'use client';

import { useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

/**
 * The browser's time zone as the hidden field `timeZone`, so the server shows dates where the user is. Empty in the
 * server's HTML and without JavaScript (nothing is stored then); filled after hydration without a mismatch, since
 * useSyncExternalStore renders the server snapshot first.
 */
export function TimeZoneField() {
  const timeZone = useSyncExternalStore(noSubscription, browserTimeZone, () => '');
  return <input type="hidden" name="timeZone" value={timeZone} />;
}
