import 'server-only';

// User access tokens live 2 h at Bridge. We stop using one 5 min early so a call never starts with a
// token about to die. One process keeps them in memory; several instances share them through Redis
// (./shared-token-cache.ts), sealed, so a user costs one token call whichever instance serves them.
export const TOKEN_EARLY_EXPIRY_MS = 5 * 60 * 1000;
// Past this size, expired entries are swept on write so the map cannot grow without bound.
const SWEEP_ABOVE = 1_000;

interface Entry {
  token: string;
  usableUntil: number;
}

const holder = globalThis as unknown as { __guidepostBridgeTokens?: Map<string, Entry> };

function entries(): Map<string, Entry> {
  holder.__guidepostBridgeTokens ??= new Map();
  return holder.__guidepostBridgeTokens;
}

/** The cached token of a Bridge user, or undefined when there is none still comfortably valid. */
export function cachedUserToken(bridgeUserUuid: string, now: number = Date.now()): string | undefined {
  const entry = entries().get(bridgeUserUuid);
  if (!entry) return undefined;
  if (now >= entry.usableUntil) {
    entries().delete(bridgeUserUuid);
    return undefined;
  }
  return entry.token;
}

/** Remembers a token until `expiresAt` minus the safety margin; one already inside the margin is not kept. */
export function cacheUserToken(bridgeUserUuid: string, token: string, expiresAt: Date | string | number, now: number = Date.now()): void {
  const expiry = new Date(expiresAt).getTime();
  const usableUntil = expiry - TOKEN_EARLY_EXPIRY_MS;
  const map = entries();
  if (Number.isNaN(expiry) || usableUntil <= now) {
    map.delete(bridgeUserUuid);
    return;
  }
  if (map.size >= SWEEP_ABOVE) {
    for (const [key, entry] of map) if (now >= entry.usableUntil) map.delete(key);
  }
  map.set(bridgeUserUuid, { token, usableUntil });
}

/** Forgets one user's token (after a 401, or when the Bridge user goes away). */
export function clearUserToken(bridgeUserUuid: string): void {
  entries().delete(bridgeUserUuid);
}

/** Forgets every token; for tests. */
export function clearTokenCache(): void {
  entries().clear();
}

/** Where the Bridge client keeps user tokens: this process's memory, or Redis shared by every instance. */
export interface UserTokenCache {
  /** The user's token while comfortably valid, else undefined. */
  get(bridgeUserUuid: string): Promise<string | undefined>;
  /** Keeps the token until `expiresAt` minus the safety margin. */
  put(bridgeUserUuid: string, token: string, expiresAt: Date | string | number): Promise<void>;
  /** Forgets the user's token (after a 401, or when the Bridge user goes away). */
  forget(bridgeUserUuid: string): Promise<void>;
  /**
   * Shared caches only: claims the right to ask Bridge for the user's token for a few seconds, across instances.
   * True: this caller asks (and puts the token). False: another instance is asking; its token will be here shortly.
   */
  claimIssue?(bridgeUserUuid: string): Promise<boolean>;
}

/** The in-memory cache above, as a UserTokenCache. */
export const memoryUserTokenCache: UserTokenCache = {
  get: async (bridgeUserUuid) => cachedUserToken(bridgeUserUuid),
  put: async (bridgeUserUuid, token, expiresAt) => cacheUserToken(bridgeUserUuid, token, expiresAt),
  forget: async (bridgeUserUuid) => clearUserToken(bridgeUserUuid),
};
