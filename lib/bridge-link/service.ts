import 'server-only';
import { bridgeUuidSchema } from '@guidepost/provider-contracts/bridge';
import { bridgeClient, type BridgeClient, type BridgeUser, type GuidanceSession, type GuidanceSessionInput } from '@/lib/bridge/client';
import { isBridgeError } from '@/lib/bridge/errors';
import { logger } from '@/lib/log';
import { linkedBridgeUser, linkedPortalUser, portalUserExists, removeLink, storeLink } from './store';

// Portal users and their Bridge users: the link we store (./store.ts) kept in step with what Bridge
// holds (the adapter, lib/bridge/client.ts). The adapter only speaks HTTP; everything that reads or
// writes our database on Bridge's account is here.

export interface BridgeLink {
  /** The Bridge user of a portal user, created on first need; returns its Bridge uuid. */
  ensureBridgeUser(portalUserId: string): Promise<string>;
  /**
   * Opens a guidance session for the portal user. When Bridge says it does not know the linked user
   * (deleted at Bridge, webhook missed), the stale link is dropped and a new Bridge user made, once.
   */
  createGuidanceSession(portalUserId: string, input: GuidanceSessionInput): Promise<GuidanceSession>;
  /**
   * Deletes the portal user's Bridge user, then our link to it. Found by our link or, when there is none
   * (a create whose answer was lost), by external_user_id at Bridge; nothing to delete is not an error.
   */
  deleteBridgeUser(portalUserId: string): Promise<void>;
  /** The Bridge user with this uuid and the reference we gave it, or undefined when Bridge has no such user. */
  lookupBridgeUser(bridgeUserUuid: string): Promise<BridgeUser | undefined>;
  /**
   * Stores the link of a portal user to a Bridge user found at Bridge (e.g. from a webhook). Returns the
   * portal user when the link is now in place, undefined when the portal user is unknown or already
   * linked to another Bridge user.
   */
  linkBridgeUser(portalUserId: string, bridgeUserUuid: string): Promise<string | undefined>;
  /** Forgets the link when Bridge has deleted the user itself; returns the portal user it belonged to. */
  unlinkBridgeUser(bridgeUserUuid: string): Promise<string | undefined>;
  findPortalUserByBridgeUuid(bridgeUserUuid: string): Promise<string | undefined>;
}

const isUuid = (value: string) => bridgeUuidSchema.safeParse(value).success;

export function createBridgeLink(client: BridgeClient): BridgeLink {
  async function ensureBridgeUser(portalUserId: string): Promise<string> {
    const linked = await linkedBridgeUser(portalUserId);
    if (linked) return linked;
    let bridgeUserUuid: string;
    try {
      // The portal user's id, never the email: stable, opaque, and allowed by Bridge's [A-Za-z0-9-_]{1,128}.
      bridgeUserUuid = (await client.createUser(portalUserId)).uuid;
    } catch (error) {
      // 409: an earlier attempt (ours, concurrent or lost on the way back) already created it.
      if (!isBridgeError(error, 'conflict')) throw error;
      const existing = await client.findUserByExternalId(portalUserId);
      // Bridge says a user holds the reference, then that none does: nothing sensible to link.
      if (!existing) throw error;
      bridgeUserUuid = existing;
    }
    const stored = await storeLink(portalUserId, bridgeUserUuid);
    if (!stored) throw new Error('The Bridge user link could not be stored.');
    return stored;
  }

  async function unlinkBridgeUser(bridgeUserUuid: string): Promise<string | undefined> {
    await client.forgetUserToken(bridgeUserUuid);
    return removeLink(bridgeUserUuid);
  }

  async function createGuidanceSession(portalUserId: string, input: GuidanceSessionInput): Promise<GuidanceSession> {
    const linked = await ensureBridgeUser(portalUserId);
    const opened = await client.openGuidanceSession(linked, input);
    if (opened.ok) return opened.session;
    // Only the documented signals lead here (the token endpoint's 404, the guidance call's 401 "user not
    // found"): the link is stale. If Bridge does still hold the user, the new create meets its 409 and
    // finds the same user by our reference, so nothing is duplicated.
    logger().warn(
      { event: 'bridge.user_relinked', userId: portalUserId, status: opened.error.status },
      'Bridge does not know the linked user; linking a new one',
    );
    await unlinkBridgeUser(linked);
    const again = await client.openGuidanceSession(await ensureBridgeUser(portalUserId), input);
    if (again.ok) return again.session;
    throw again.error;
  }

  async function deleteBridgeUser(portalUserId: string): Promise<void> {
    // No link does not mean no Bridge user: a create can succeed at Bridge while its answer is lost.
    const bridgeUserUuid = (await linkedBridgeUser(portalUserId)) ?? (isUuid(portalUserId) ? await client.findUserByExternalId(portalUserId) : undefined);
    if (!bridgeUserUuid) return;
    await client.deleteUser(bridgeUserUuid);
    // Only after Bridge confirmed, so a failure leaves the link for the next attempt.
    await unlinkBridgeUser(bridgeUserUuid);
  }

  async function linkBridgeUser(portalUserId: string, bridgeUserUuid: string): Promise<string | undefined> {
    if (!(await portalUserExists(portalUserId))) return undefined;
    return (await storeLink(portalUserId, bridgeUserUuid)) === bridgeUserUuid ? portalUserId : undefined;
  }

  return {
    ensureBridgeUser,
    createGuidanceSession,
    deleteBridgeUser,
    lookupBridgeUser: (bridgeUserUuid) => client.getUser(bridgeUserUuid),
    linkBridgeUser,
    unlinkBridgeUser,
    findPortalUserByBridgeUuid: linkedPortalUser,
  };
}

/** The portal's Bridge users over the process-wide client. */
export function bridgeLink(): BridgeLink {
  return createBridgeLink(bridgeClient());
}
