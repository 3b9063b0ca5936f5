import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { users, type User } from '@/lib/db/schema';
import { supportedTimeZone } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(email: string): Promise<User | undefined> {
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  return user;
}

export async function findUserById(id: string): Promise<User | undefined> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/**
 * Stores the time zone the browser reported, when this runtime knows it (canonical name). An absent or unknown zone
 * leaves the stored one alone: a login without JavaScript must not forget where the user is.
 */
export async function saveTimeZone(userId: string, reported: string | undefined): Promise<void> {
  const timeZone = supportedTimeZone(reported);
  if (!timeZone) return;
  const db = await getDb();
  await db.update(users).set({ timeZone }).where(eq(users.id, userId));
}

/** Saves the language the user picked with the switch: it follows them to every browser they log in on. */
export async function saveLocale(userId: string, locale: Locale): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

/** The account page's email preferences: the guidance-ready email on or off. */
export async function saveEmailPreferences(userId: string, preferences: { guidanceEmail: boolean }): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ guidanceEmail: preferences.guidanceEmail }).where(eq(users.id, userId));
}
