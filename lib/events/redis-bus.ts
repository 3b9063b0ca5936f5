import 'server-only';
import type Redis from 'ioredis';
import type { EventBus } from './bus';
import { createFanOut } from './fan-out';
import { decodeMessage, encodeMessage } from './messages';

export interface RedisBusOptions {
  /** Publishes; shared with the rest of the process (lib/redis.ts), not closed here. */
  publisher: Pick<Redis, 'publish'>;
  /** A connection of the bus's own: a subscribed Redis connection does nothing else. Closed with the bus. */
  subscriber: Redis;
  channel: string;
  onListenerError?: (error: unknown) => void;
  /** The subscriber connection came back: messages sent meanwhile were lost. */
  onResync?: () => void;
}

/**
 * Pub/sub's channels are server-wide, whatever database a URL selects: the channel names the database, so two
 * deployments (or test runs) on one Redis with different database numbers do not hear each other.
 */
export function redisChannel(redisUrl: string): string {
  let index = '0';
  try {
    index = new URL(redisUrl).pathname.replace(/^\//, '') || '0';
  } catch {
    // the configuration was checked at start; keep the default
  }
  return `guidepost:${index}:events`;
}

export function createRedisBus(options: RedisBusOptions): EventBus {
  const { subscriber, channel } = options;
  const fanOut = createFanOut(options.onListenerError);
  let connectedOnce = false;
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    const message = decodeMessage(text);
    if (message) fanOut.deliver(message);
  });
  // ioredis subscribes again by itself after a reconnect; what was published meanwhile is read again instead.
  subscriber.on('ready', () => {
    if (connectedOnce) {
      options.onResync?.();
      fanOut.resync();
    }
    connectedOnce = true;
  });
  // Without a listener an unreachable Redis would be an uncaught error; ioredis keeps reconnecting.
  subscriber.on('error', () => undefined);
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch(() => undefined);
  return {
    kind: 'redis',
    publish: async (message) => {
      await options.publisher.publish(channel, encodeMessage(message));
    },
    subscribe: (userId, listener) => fanOut.subscribe(userId, listener),
    ready: () => subscribed,
    listeners: () => fanOut.size(),
    close: async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
