import 'server-only';
import { eq } from 'drizzle-orm';
import { bridgeUuidSchema } from '@guidepost/provider-contracts/bridge';
import { getDb } from '@/lib/db/client';
import { bridgeUsers, users } from '@/lib/db/schema';

// Which Bridge user belongs to which portal user: our table, bridge_users. One Bridge user per portal
// user and the other way round (both columns unique).

// Ids reach the uuid columns only when they look like one: a malformed id is simply unknown, not a database error.
const isUuid = (value: string) => bridgeUuidSchema.safeParse(value).success;

/** The Bridge user linked to a portal user. */
export async function linkedBridgeUser(portalUserId: string): Promise<string | undefined> {
  if (!isUuid(portalUserId)) return undefined;
  const db = await getDb();
  const [row] = await db.select({ uuid: bridgeUsers.bridgeUserUuid }).from(bridgeUsers).where(eq(bridgeUsers.userId, portalUserId));
  return row?.uuid;
}

/** The portal user a Bridge user is linked to. */
export async function linkedPortalUser(bridgeUserUuid: string): Promise<string | undefined> {
  if (!isUuid(bridgeUserUuid)) return undefined;
  const db = await getDb();
  const [row] = await db.select({ userId: bridgeUsers.userId }).from(bridgeUsers).where(eq(bridgeUsers.bridgeUserUuid, bridgeUserUuid));
  return row?.userId;
}

/**
 * Links the pair unless the portal user is already linked (two first calls at once: the loser's insert
 * does nothing). Returns the Bridge user the portal user is linked to afterwards.
 */
export async function storeLink(portalUserId: string, bridgeUserUuid: string): Promise<string | undefined> {
  if (!isUuid(portalUserId) || !isUuid(bridgeUserUuid)) return undefined;
  const db = await getDb();
  await db.insert(bridgeUsers).values({ userId: portalUserId, bridgeUserUuid }).onConflictDoNothing();
  return linkedBridgeUser(portalUserId);
}

/** True when a portal user with this id exists. */
export async function portalUserExists(portalUserId: string): Promise<boolean> {
  if (!isUuid(portalUserId)) return false;
  const db = await getDb();
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, portalUserId));
  return row !== undefined;
}

/** Removes the link of a Bridge user; returns the portal user it belonged to. */
export async function removeLink(bridgeUserUuid: string): Promise<string | undefined> {
  if (!isUuid(bridgeUserUuid)) return undefined;
  const db = await getDb();
  const [row] = await db.delete(bridgeUsers).where(eq(bridgeUsers.bridgeUserUuid, bridgeUserUuid)).returning({ userId: bridgeUsers.userId });
  return row?.userId;
}
