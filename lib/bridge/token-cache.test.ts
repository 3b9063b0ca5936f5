import { beforeEach, describe, expect, it } from 'vitest';
import { cachedUserToken, cacheUserToken, clearTokenCache, clearUserToken, TOKEN_EARLY_EXPIRY_MS } from './token-cache';

const NOW = Date.parse('2025-03-01T10:00:00.000Z');
const TWO_HOURS = 2 * 60 * 60 * 1000;

describe('token cache', () => {
  beforeEach(() => clearTokenCache());

  it('serves a token until five minutes before it expires', () => {
    cacheUserToken('u1', 't1', new Date(NOW + TWO_HOURS).toISOString(), NOW);
    expect(cachedUserToken('u1', NOW)).toBe('t1');
    expect(cachedUserToken('u1', NOW + TWO_HOURS - TOKEN_EARLY_EXPIRY_MS - 1)).toBe('t1');
    expect(cachedUserToken('u1', NOW + TWO_HOURS - TOKEN_EARLY_EXPIRY_MS)).toBeUndefined();
  });

  it('does not keep a token already inside the margin, or with an unreadable expiry', () => {
    cacheUserToken('u1', 't1', NOW + TOKEN_EARLY_EXPIRY_MS, NOW);
    cacheUserToken('u2', 't2', 'not a date', NOW);
    expect(cachedUserToken('u1', NOW)).toBeUndefined();
    expect(cachedUserToken('u2', NOW)).toBeUndefined();
  });

  it('forgets one user, or everyone', () => {
    cacheUserToken('u1', 't1', NOW + TWO_HOURS, NOW);
    cacheUserToken('u2', 't2', NOW + TWO_HOURS, NOW);
    clearUserToken('u1');
    expect(cachedUserToken('u1', NOW)).toBeUndefined();
    expect(cachedUserToken('u2', NOW)).toBe('t2');
    clearTokenCache();
    expect(cachedUserToken('u2', NOW)).toBeUndefined();
  });
});
