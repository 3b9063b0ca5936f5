'use client';

import { useTranslations } from 'next-intl';
import { timeLeft, useNow } from './clock';

/**
 * Time left until `until` as m:ss, ticking every second (./clock.ts): from `serverNow`, the time the server rendered
 * at, on the server and in the browser's first render, so both write the same text. Without it (rendered only in the
 * browser), a placeholder until the first tick.
 */
export function Countdown({ until, serverNow }: { until: string; serverNow?: number }) {
  const t = useTranslations('guidance.countdown');
  const now = useNow(serverNow);
  if (now === null) {
    return (
      <span aria-hidden="true" className="font-mono font-semibold tabular-nums">
        –:––
      </span>
    );
  }
  const left = timeLeft(new Date(until).getTime(), now);
  // role=timer is not announced on every tick; the text stays readable on demand.
  return (
    <span role="timer" aria-label={t('label', { minutes: left.minutes, seconds: left.seconds })} className="font-mono font-semibold tabular-nums">
      {left.text}
    </span>
  );
}
