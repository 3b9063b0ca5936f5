import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { prepared } from '@/lib/db/prepared';
import { companyProfiles, type CompanyProfileRow } from '@/lib/db/schema';
import type { CompanyProfile, Language } from './schema';

function toProfile(row: CompanyProfileRow): CompanyProfile {
  return {
    companyName: row.companyName ?? '',
    countryCode: row.countryCode,
    identificationNumber: row.identificationNumber,
    language: (row.language === 'fr' ? 'fr' : 'en') satisfies Language,
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
  };
}

/** The user's company profile, or undefined before they first save it. */
// Read by most portal pages.
const profileOf = prepared((db) =>
  db
    .select()
    .from(companyProfiles)
    .where(eq(companyProfiles.userId, sql.placeholder('userId')))
    .prepare('company_profile_of'),
);

export async function getCompanyProfile(userId: string): Promise<CompanyProfile | undefined> {
  const [row] = await (await profileOf()).execute({ userId });
  return row ? toProfile(row) : undefined;
}

/** Creates or replaces the user's company profile. `profile` comes out of companyProfileSchema. */
export async function saveCompanyProfile(userId: string, profile: CompanyProfile): Promise<void> {
  const db = await getDb();
  const fields = {
    companyName: profile.companyName,
    countryCode: profile.countryCode,
    identificationNumber: profile.identificationNumber,
    language: profile.language,
    contactEmail: profile.contactEmail,
    contactPhone: profile.contactPhone,
    updatedAt: new Date(),
  };
  await db
    .insert(companyProfiles)
    .values({ userId, ...fields })
    .onConflictDoUpdate({ target: companyProfiles.userId, set: fields });
}

/**
 * True when saving `next` changes whose guidance Bridge prepares or who hears of it: the country, the
 * identification number, the contact email or phone of a saved profile. Such a save needs a recent
 * login (step-up); a first profile changes nothing yet.
 */
export function changesWhoGetsGuidance(saved: CompanyProfile | undefined, next: CompanyProfile): boolean {
  if (!saved) return false;
  return (
    saved.countryCode !== next.countryCode ||
    saved.identificationNumber !== next.identificationNumber ||
    saved.contactEmail !== next.contactEmail ||
    (saved.contactPhone ?? null) !== (next.contactPhone ?? null)
  );
}
