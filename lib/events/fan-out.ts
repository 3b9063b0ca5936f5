import 'server-only';
import type { BusMessage, BusSignal } from './messages';

/** `receivedAt` (performance.now()) is the same for every listener of one message: a read started since is current. */
export type BusListener = (signal: BusSignal, receivedAt: number) => void;

/**
 * The listeners of one process, by user id: a message for a user reaches that user's streams only, and a message for a
 * user with no open stream here costs a map lookup. Plain data in, plain functions out, so copies of lib/ share it.
 */
export interface FanOut {
  subscribe(userId: string, listener: BusListener): () => void;
  deliver(message: BusMessage): void;
  /** Every listener: the bus may have missed messages. */
  resync(): void;
  /** How many listeners are open (tests, the benchmark). */
  size(): number;
}

export function createFanOut(onListenerError: (error: unknown) => void = () => undefined): FanOut {
  const byUser = new Map<string, Set<BusListener>>();
  let count = 0;
  const call = (listener: BusListener, signal: BusSignal, receivedAt: number) => {
    try {
      listener(signal, receivedAt);
    } catch (error) {
      onListenerError(error);
    }
  };
  return {
    subscribe(userId, listener) {
      let listeners = byUser.get(userId);
      if (!listeners) byUser.set(userId, (listeners = new Set()));
      // A wrapper, so the same function subscribed twice is two subscriptions.
      const entry: BusListener = (signal, receivedAt) => listener(signal, receivedAt);
      listeners.add(entry);
      count++;
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        count--;
        listeners.delete(entry);
        if (listeners.size === 0 && byUser.get(userId) === listeners) byUser.delete(userId);
      };
    },
    deliver(message) {
      const listeners = byUser.get(message.userId);
      const receivedAt = performance.now();
      if (listeners) for (const listener of [...listeners]) call(listener, message, receivedAt);
    },
    resync() {
      const receivedAt = performance.now();
      for (const listeners of [...byUser.values()]) for (const listener of [...listeners]) call(listener, { topic: 'resync' }, receivedAt);
    },
    size: () => count,
  };
}
