import { useSyncExternalStore } from 'react';

// The time countdowns are computed from, in whole seconds. Reading the clock while rendering made the server's HTML
// and the browser's first render differ whenever a second passed between the two (React error #418 on some loads of
// the guidance page): during hydration React uses the server's snapshot (the time the server rendered at, passed down
// as a prop), so both render the same text, and the browser's clock takes over right after.

// Checked four times a second so the display turns within a quarter second of the real one; React re-renders only
// when the second has changed.
const TICK_MS = 250;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    for (const notify of listeners) notify();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Now, to the second: the same value for every read within a second, so React sees a stable snapshot. */
export function currentSecond(now = Date.now()): number {
  return Math.floor(now / 1000) * 1000;
}

/**
 * The current time in milliseconds (whole seconds), ticking every second. `serverNow` is the time the server
 * rendered at: the value during server rendering and hydration. Without it (a component only ever rendered in the
 * browser) those renders get null.
 */
export function useNow(serverNow?: number): number | null {
  return useSyncExternalStore(
    subscribe,
    () => currentSecond(),
    () => (serverNow === undefined ? null : currentSecond(serverNow)),
  );
}

/** m:ss of the time left until `until` (never negative), rounded up so 0:00 means the time is up. */
export function timeLeft(until: number, now: number): { minutes: number; seconds: number; text: string } {
  const total = Math.max(0, Math.ceil((until - now) / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return { minutes, seconds, text: `${minutes}:${String(seconds).padStart(2, '0')}` };
}

/** Whether the moment `until` has come, by the clock `useNow` gives (not yet known: not passed). */
export function hasPassed(until: string | number, now: number | null): boolean {
  return now !== null && now >= new Date(until).getTime();
}

/**
 * Whether `until` (if any) has come, by the same clock, for components that only change when it does: they re-render once, at
 * that moment, not every second (a form re-rendered every second would also undo anything done to it meanwhile).
 */
export function usePassed(until: string | undefined, serverNow?: number): boolean {
  return useSyncExternalStore(
    subscribe,
    () => until !== undefined && hasPassed(until, currentSecond()),
    () => until !== undefined && hasPassed(until, serverNow === undefined ? null : currentSecond(serverNow)),
  );
}
