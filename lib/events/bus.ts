import 'server-only';
import type { BusListener } from './fan-out';
import type { BusMessage } from './messages';

// The event bus: how the instance that wrote something tells the instances holding a user's open streams
// (app/api/events) that it changed. Redis pub/sub when REDIS_URL is set, PostgreSQL LISTEN/NOTIFY on PostgreSQL
// alone, in the process on PGlite (one process). Each process holds one subscriber connection and fans messages out
// in memory by user id (fan-out.ts). Only ids travel (messages.ts).

export type BusKind = 'memory' | 'redis' | 'postgres';

export interface EventBus {
  readonly kind: BusKind;
  /** Sends to every instance, this one included. Rejects when the message could not be handed over. */
  publish(message: BusMessage): Promise<void>;
  /** This process's listener for one user's messages, until the returned function is called. */
  subscribe(userId: string, listener: BusListener): () => void;
  /** Resolves once messages published from now on reach this process's listeners (tests, start). */
  ready(): Promise<void>;
  /** How many listeners are open here. */
  listeners(): number;
  close(): Promise<void>;
}

export type { BusListener } from './fan-out';
export type { BusMessage, BusSignal } from './messages';
