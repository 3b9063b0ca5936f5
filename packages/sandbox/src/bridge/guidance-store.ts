import { randomBytes, randomUUID } from 'node:crypto';
import type { BridgeGuidanceLanguage } from '@guidepost/provider-contracts/bridge';

// Bridge: "The session has a duration of 8 hours" today. The sandbox, being the provider, may know it;
// the portal must not rely on it.
export const GUIDANCE_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface GuidanceSession {
  id: string;
  userUuid: string;
  countryCode: string;
  companyIdentificationNumber: string;
  /** The language the portal asked for; null: none, and the site follows the browser (bridgeGuidanceSiteLanguage). */
  language: BridgeGuidanceLanguage | null;
  contactEmail: string | null;
  contactPhoneNumber: string | null;
  /** Held because the sandbox plays the provider, which checks it on its site. */
  password: string;
  createdAt: number;
  expiresAt: number;
}

export type NewGuidanceSession = Omit<GuidanceSession, 'id' | 'createdAt' | 'expiresAt'>;

interface SiteAccess {
  sessionIds: Set<string>;
}

// Consent and guidance are the company's, for this user: one key for both.
const companyKey = (userUuid: string, companyIdentificationNumber: string) => `${userUuid}:${companyIdentificationNumber}`;

/** Guidance sessions, consents, generated guidance and the guidance site's browser access. */
export class GuidanceStore {
  private readonly sessions = new Map<string, GuidanceSession>();
  private readonly consents = new Set<string>();
  private readonly generated = new Set<string>();
  private readonly siteAccess = new Map<string, SiteAccess>();
  private readonly passwords: string[] = [];

  createSession(input: NewGuidanceSession, now: number): GuidanceSession {
    const session: GuidanceSession = { ...input, id: randomUUID(), createdAt: now, expiresAt: now + GUIDANCE_SESSION_TTL_MS };
    this.sessions.set(session.id, session);
    this.passwords.push(session.password);
    return { ...session };
  }

  findSession(id: string): GuidanceSession | undefined {
    const session = this.sessions.get(id);
    return session && { ...session };
  }

  /** The user's most recent session, if any. */
  latestSessionOf(userUuid: string): GuidanceSession | undefined {
    let latest: GuidanceSession | undefined;
    // Map order is creation order, so the last match is the latest even when two share a timestamp.
    for (const session of this.sessions.values()) if (session.userUuid === userUuid) latest = session;
    return latest && { ...latest };
  }

  /** Every password issued since the last reset, for the control API only. */
  issuedPasswords(): string[] {
    return [...this.passwords];
  }

  hasConsent(session: GuidanceSession): boolean {
    return this.consents.has(companyKey(session.userUuid, session.companyIdentificationNumber));
  }

  giveConsent(session: GuidanceSession): void {
    this.consents.add(companyKey(session.userUuid, session.companyIdentificationNumber));
  }

  isGenerated(session: GuidanceSession): boolean {
    return this.generated.has(companyKey(session.userUuid, session.companyIdentificationNumber));
  }

  markGenerated(session: GuidanceSession): void {
    this.generated.add(companyKey(session.userUuid, session.companyIdentificationNumber));
  }

  /**
   * Lets a browser into a session after its password: a new random token (never the password) that
   * also carries the sessions the browser's previous token opened; the previous token stops working.
   */
  grantSiteAccess(sessionId: string, previousToken: string | undefined): string {
    const previous = previousToken === undefined ? undefined : this.siteAccess.get(previousToken);
    if (previousToken !== undefined) this.siteAccess.delete(previousToken);
    const token = randomBytes(32).toString('base64url');
    this.siteAccess.set(token, { sessionIds: new Set([...(previous?.sessionIds ?? []), sessionId]) });
    return token;
  }

  hasSiteAccess(token: string | undefined, sessionId: string): boolean {
    return token !== undefined && (this.siteAccess.get(token)?.sessionIds.has(sessionId) ?? false);
  }

  /** Bridge forgets a deleted user's sessions, consents and guidance. */
  forgetUser(userUuid: string): void {
    for (const [id, session] of this.sessions) {
      if (session.userUuid !== userUuid) continue;
      this.sessions.delete(id);
      for (const access of this.siteAccess.values()) access.sessionIds.delete(id);
    }
    for (const set of [this.consents, this.generated]) {
      for (const key of set) if (key.startsWith(`${userUuid}:`)) set.delete(key);
    }
  }

  clear(): void {
    this.sessions.clear();
    this.consents.clear();
    this.generated.clear();
    this.siteAccess.clear();
    this.passwords.length = 0;
  }
}
