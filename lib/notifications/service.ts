import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { getCompanyProfile } from '@/lib/company/service';
import { getDb } from '@/lib/db/client';
import { notifications } from '@/lib/db/schema';
import { publishEvent } from '@/lib/events/process-bus';
import type { PortalNotification } from './types';

export type { PortalNotification } from './types';

// A notification is stored as what happened (its kind and the company it is about), never as a sentence: the
// notification centre words it when it shows it, in the reader's language of that moment (messages/<locale>/
// notifications.json). Every row ever written has this shape, so old notifications read like new ones.

/** The user's unread notifications, newest first. */
export async function unreadNotifications(userId: string): Promise<PortalNotification[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(notifications)
    // Kinds this version cannot word are left out rather than shown blank (none is written today).
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, 'guidance.ready'), isNull(notifications.readAt)))
    .orderBy(desc(notifications.createdAt))
    .limit(5);
  if (rows.length === 0) return [];
  const profile = await getCompanyProfile(userId);
  return rows.map((row) => {
    // The company's name while it is still the user's company; its number once the profile names another.
    const sameCompany = profile?.companyName && profile.identificationNumber === row.companyIdentificationNumber;
    const company = sameCompany
      ? { name: profile.companyName }
      : row.companyIdentificationNumber
        ? { identificationNumber: row.companyIdentificationNumber }
        : null;
    return { id: row.id, kind: 'guidance.ready', company, createdAt: row.createdAt.toISOString() };
  });
}

/** Marks one of the user's notifications as read; someone else's id changes nothing. */
export async function dismissNotification(userId: string, notificationId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(notificationId)) return;
  const db = await getDb();
  const read = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  // The user's other tabs (and devices) drop it too.
  if (read.length > 0) await publishEvent({ topic: 'notifications', userId });
}
