import 'server-only';
import { randomUUID } from 'node:crypto';

// Where mail goes when no SMTP server is configured (the embedded default, the demo): kept in this process's memory,
// newest first, and shown at /sandbox/mailbox to loopback visitors only. A deployment must configure SMTP_URL
// (lib/env.ts), so nothing is ever kept here in production. Plain objects on globalThis: the route handlers' and the
// pages' copies of lib/ share one list.

export interface MailboxEntry {
  id: string;
  receivedAt: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Enough for a demo; older messages fall off. */
const KEPT = 100;

const holder = globalThis as unknown as { __guidepostDevMailbox?: MailboxEntry[] };

export function deliverToDevMailbox(message: Omit<MailboxEntry, 'id' | 'receivedAt'>, now = new Date()): MailboxEntry {
  const entry = { id: randomUUID(), receivedAt: now.toISOString(), ...message };
  holder.__guidepostDevMailbox = [entry, ...(holder.__guidepostDevMailbox ?? [])].slice(0, KEPT);
  return entry;
}

/** The messages held, newest first. */
export function devMailbox(): readonly MailboxEntry[] {
  return holder.__guidepostDevMailbox ?? [];
}
