import 'server-only';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { getCompanyProfile } from '@/lib/company/service';
import { getDb } from '@/lib/db/client';
import { notifications } from '@/lib/db/schema';

export interface PortalNotification {
  id: string;
  kind: 'guidance.ready';
  message: string;
  createdAt: string;
}

/** The user's unread notifications, newest first, in words ready to show. */
export async function unreadNotifications(userId: string): Promise<PortalNotification[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .orderBy(desc(notifications.createdAt))
    .limit(5);
  if (rows.length === 0) return [];
  const profile = await getCompanyProfile(userId);
  return rows.map((row) => {
    const sameCompany = profile && profile.identificationNumber === row.companyIdentificationNumber && profile.companyName;
    const company = sameCompany ? profile.companyName : `company ${row.companyIdentificationNumber ?? ''}`.trim();
    return { id: row.id, kind: 'guidance.ready', message: `New guidance is ready for ${company}`, createdAt: row.createdAt.toISOString() };
  });
}

/** Marks one of the user's notifications as read; someone else's id changes nothing. */
export async function dismissNotification(userId: string, notificationId: string): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(notificationId)) return;
  const db = await getDb();
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)));
}
