'use client';

import { useTranslations } from 'next-intl';
import { timeLeft } from './clock';

/**
 * Time left until `until` as m:ss, from the clock the parent reads (useNow in ./clock.ts): one clock for the page,
 * and the same text on the server and in the browser's first render. Before the clock is known, a placeholder.
 */
export function Countdown({ until, now }: { until: string; now: number | null }) {
  const t = useTranslations('guidance.countdown');
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
