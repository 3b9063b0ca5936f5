import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { redisClient } from '@/lib/redis';
import type { BusListener, EventBus } from './bus';
import type { BusMessage } from './messages';

// The process's one bus, on globalThis under a registered symbol: the production build bundles lib/ more than once,
// and the webhook worker (one copy) must reach the streams of app/api/events (another copy). What crosses between
// copies is plain data and functions, never an instance checked by class.

const BUS = Symbol.for('guidepost.events.bus');
const holder = globalThis as unknown as { [BUS]?: Promise<EventBus> };

const errorCode = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : error instanceof Error ? error.name : 'unknown';

const onListenerError = (error: unknown) => logger().error({ event: 'events.listener_failed', error: errorCode(error) }, 'an event listener failed');
const onResync = () => logger().warn({ event: 'events.resync' }, 'event bus reconnected: open streams read their state again');

async function busFromEnvironment(): Promise<EventBus> {
  const env = getEnv();
  if (env.redisUrl) {
    const [{ default: Redis }, { createRedisBus, redisChannel }] = await Promise.all([import('ioredis'), import('./redis-bus')]);
    // A subscribed connection waits for ever for its SUBSCRIBE rather than fail it: it is sent when Redis is back.
    const subscriber = new Redis(env.redisUrl, { maxRetriesPerRequest: null, connectTimeout: 5_000 });
    return createRedisBus({ publisher: redisClient(), subscriber, channel: redisChannel(env.redisUrl), onListenerError, onResync });
  }
  if (env.database.kind === 'postgres') {
    const [{ Client }, { createPostgresBus }] = await Promise.all([import('pg'), import('./postgres-bus')]);
    const url = env.database.url;
    return createPostgresBus({
      connect: () => new Client({ connectionString: url, connectionTimeoutMillis: 5_000 }),
      notify: async (channel, payload) => {
        await (await getDb()).execute(sql`select pg_notify(${channel}, ${payload})`);
      },
      onListenerError,
      onResync,
      onConnectionLost: (code, retryInMs) =>
        logger().error({ event: 'events.connection_lost', code, retryInMs }, 'the event bus lost its database connection; listening again soon'),
    });
  }
  const { createMemoryBus } = await import('./memory-bus');
  return createMemoryBus(onListenerError);
}

/** The process's bus, made on first use from the configuration. */
export function eventBus(): Promise<EventBus> {
  return (holder[BUS] ??= busFromEnvironment());
}

/**
 * Tells every instance that something of a user changed. Called after the change is committed. Never throws: the
 * change is made whatever happens here; an open tab then learns of it at its next reconnection or page load.
 */
export async function publishEvent(message: BusMessage): Promise<void> {
  try {
    await (await eventBus()).publish(message);
  } catch (error) {
    logger().warn({ event: 'events.publish_failed', topic: message.topic, error: errorCode(error) }, 'an event could not be published');
  }
}

/** This process's listener for one user's messages; the returned function stops it. */
export async function subscribeToUser(userId: string, listener: BusListener): Promise<() => void> {
  return (await eventBus()).subscribe(userId, listener);
}

/** Closes the bus's connection if one was opened (at shutdown). */
export async function closeEventBus(): Promise<void> {
  const opening = holder[BUS];
  holder[BUS] = undefined;
  const bus = await opening?.catch(() => undefined);
  await bus?.close();
}

/** Tests swap in their own bus. */
export function setEventBusForTests(bus: EventBus | undefined): void {
  holder[BUS] = bus ? Promise.resolve(bus) : undefined;
}
