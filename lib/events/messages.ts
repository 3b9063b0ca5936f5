// What travels on the event bus between instances: ids only, never a sentence, an email or a secret. Each message
// says that something of one user changed; whoever listens reads what changed from the database.

export type BusMessage =
  /** The user's notifications changed: one was written (a webhook) or read (dismissed, opened). */
  | { topic: 'notifications'; userId: string }
  /** One of the user's sessions ended or will (revoked, signed out, rotated): every stream of the user checks its own. */
  | { topic: 'sessions'; userId: string };

/**
 * Given to listeners when the bus may have missed messages (its connection to Redis or PostgreSQL came back): each
 * listener reads the state again instead.
 */
export type BusSignal = BusMessage | { topic: 'resync' };

const TOPICS = new Set(['notifications', 'sessions']);
const ID = /^[0-9a-zA-Z-]{1,64}$/;

export function encodeMessage(message: BusMessage): string {
  return JSON.stringify({ topic: message.topic, userId: message.userId });
}

/** A message from Redis or PostgreSQL, or undefined when it is not one of ours (another version, another sender). */
export function decodeMessage(text: string): BusMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { topic, userId } = parsed as Record<string, unknown>;
  if (typeof topic !== 'string' || !TOPICS.has(topic) || typeof userId !== 'string' || !ID.test(userId)) return undefined;
  return { topic, userId } as BusMessage;
}
