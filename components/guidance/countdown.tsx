'use client';

import { useEffect, useState } from 'react';

function format(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Time left until `until`, ticking every second; calls onEnd once it reaches zero. */
export function Countdown({ until, onEnd }: { until: string; onEnd?: () => void }) {
  const end = new Date(until).getTime();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = end - now;
  useEffect(() => {
    if (left <= 0) onEnd?.();
  }, [left <= 0]); // eslint-disable-line react-hooks/exhaustive-deps -- fire once, when it reaches zero
  // role=timer is not announced on every tick; the text stays readable on demand.
  return (
    <span role="timer" aria-label={`${format(left)} minutes left`} className="font-mono font-semibold tabular-nums">
      {format(left)}
    </span>
  );
}
