import { randomBytes, randomUUID } from 'node:crypto';
import { BRIDGE_ACCESS_TOKEN_TTL_MS } from '@guidepost/provider-contracts/bridge';
import { GuidanceStore } from './guidance-store';

export interface BridgeUser {
  uuid: string;
  external_user_id: string | null;
}

interface AccessToken {
  userUuid: string;
  expiresAt: number;
}

// Bridge: "the OAuth token is valid for two hours after issuance" (the contract's BRIDGE_ACCESS_TOKEN_TTL_MS).
export const ACCESS_TOKEN_TTL_MS = BRIDGE_ACCESS_TOKEN_TTL_MS;

/** The sandbox's memory: users and their access tokens, their guidance, and the clock they are judged by. */
export class BridgeState {
  readonly guidance = new GuidanceStore();
  private readonly users = new Map<string, BridgeUser>();
  private readonly tokens = new Map<string, AccessToken>();
  // How many tokens each user was issued: lets a test see that several instances share one.
  private readonly tokenCounts = new Map<string, number>();
  private clockOffsetMs = 0;

  constructor(private readonly baseNow: () => number) {}

  now(): number {
    return this.baseNow() + this.clockOffsetMs;
  }

  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms;
  }

  listUsers(): BridgeUser[] {
    return [...this.users.values()].map((user) => ({ ...user }));
  }

  findUser(uuid: string): BridgeUser | undefined {
    const user = this.users.get(uuid);
    return user && { ...user };
  }

  findUserByExternalId(externalUserId: string): BridgeUser | undefined {
    for (const user of this.users.values()) if (user.external_user_id === externalUserId) return { ...user };
    return undefined;
  }

  /** Undefined when another user already holds that external_user_id. */
  createUser(externalUserId: string | null): BridgeUser | undefined {
    if (externalUserId !== null && this.findUserByExternalId(externalUserId)) return undefined;
    const user: BridgeUser = { uuid: randomUUID(), external_user_id: externalUserId };
    this.users.set(user.uuid, user);
    return { ...user };
  }

  /** Removes the user, every token issued to them and their guidance sessions; false when there was no such user. */
  deleteUser(uuid: string): boolean {
    if (!this.users.delete(uuid)) return false;
    for (const [token, entry] of this.tokens) if (entry.userUuid === uuid) this.tokens.delete(token);
    this.guidance.forgetUser(uuid);
    return true;
  }

  issueToken(userUuid: string): { accessToken: string; expiresAt: number } {
    // Opaque and unguessable, like Bridge's.
    const accessToken = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + ACCESS_TOKEN_TTL_MS;
    this.tokens.set(accessToken, { userUuid, expiresAt });
    this.tokenCounts.set(userUuid, (this.tokenCounts.get(userUuid) ?? 0) + 1);
    return { accessToken, expiresAt };
  }

  lookupToken(accessToken: string): { user: BridgeUser; expiresAt: number } | undefined {
    const entry = this.tokens.get(accessToken);
    const user = entry && this.findUser(entry.userUuid);
    return entry && user ? { user, expiresAt: entry.expiresAt } : undefined;
  }

  /** How many tokens were issued per user uuid since the last reset (counts only, never a token). */
  tokensIssued(): Record<string, number> {
    return Object.fromEntries(this.tokenCounts);
  }

  /** Expires every token issued so far; returns how many there are. */
  expireAllTokens(): number {
    const now = this.now();
    for (const entry of this.tokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
    return this.tokens.size;
  }

  reset(): void {
    this.users.clear();
    this.tokens.clear();
    this.tokenCounts.clear();
    this.guidance.clear();
    this.clockOffsetMs = 0;
  }
}
