import 'server-only';
import type { EventBus } from './bus';
import { createFanOut } from './fan-out';

/** One process (PGlite): the fan-out alone. Delivered after the publisher's own work, never inside it. */
export function createMemoryBus(onListenerError?: (error: unknown) => void): EventBus {
  const fanOut = createFanOut(onListenerError);
  return {
    kind: 'memory',
    publish: async (message) => {
      queueMicrotask(() => fanOut.deliver(message));
    },
    subscribe: (userId, listener) => fanOut.subscribe(userId, listener),
    ready: async () => undefined,
    listeners: () => fanOut.size(),
    close: async () => undefined,
  };
}
