import { describe, expect, it } from 'vitest';
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS, sessionState } from './sessions';

const start = new Date('2026-11-21T08:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

describe('session lifetime', () => {
  it('ends after 30 minutes without activity', () => {
    const session = { createdAt: start, lastSeenAt: start, revokedAt: null };
    expect(sessionState(session, at(IDLE_TIMEOUT_MS - 1000))).toBe('active');
    expect(sessionState(session, at(IDLE_TIMEOUT_MS))).toBe('idle');
  });

  it('ends 12 hours after login even when active', () => {
    const session = { createdAt: start, lastSeenAt: at(ABSOLUTE_LIFETIME_MS - 60_000), revokedAt: null };
    expect(sessionState(session, at(ABSOLUTE_LIFETIME_MS - 1000))).toBe('active');
    expect(sessionState(session, at(ABSOLUTE_LIFETIME_MS))).toBe('expired');
  });

  it('ends at once when revoked', () => {
    expect(sessionState({ createdAt: start, lastSeenAt: start, revokedAt: start }, at(1000))).toBe('revoked');
  });
});
