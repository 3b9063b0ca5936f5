import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, databaseKinds } from '@/test/databases';
import { setDatabaseForTests } from '@/lib/db/client';
import { companyProfiles, users } from '@/lib/db/schema';
import type { CompanyProfile } from './schema';
import { getCompanyProfile, saveCompanyProfile } from './service';

const french: CompanyProfile = {
  companyName: 'Acme Conseil',
  countryCode: 'FR',
  identificationNumber: '529196313',
  language: 'fr',
  contactEmail: 'finance@example.fr',
  contactPhone: '+33612345678',
};

describe.each(databaseKinds)('company profile service on %s', (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let anne: string;
  let ben: string;

  async function createUser(email: string): Promise<string> {
    const [user] = await database.db.insert(users).values({ email, passwordHash: 'not-a-real-hash' }).returning({ id: users.id });
    return user!.id;
  }

  async function updatedAt(userId: string): Promise<Date> {
    const [row] = await database.db.select({ updatedAt: companyProfiles.updatedAt }).from(companyProfiles).where(eq(companyProfiles.userId, userId));
    return row!.updatedAt;
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
    anne = await createUser('anne@example.com');
    ben = await createUser('ben@example.com');
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await database?.drop();
  });

  it('has no profile before the first save', async () => {
    expect(await getCompanyProfile(anne)).toBeUndefined();
  });

  it('saves a profile and reads it back', async () => {
    await saveCompanyProfile(anne, french);
    expect(await getCompanyProfile(anne)).toEqual(french);
  });

  it('replaces the profile on the next save and moves updatedAt on', async () => {
    const before = await updatedAt(anne);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const british: CompanyProfile = {
      companyName: 'Thistle Ltd',
      countryCode: 'GB',
      identificationNumber: 'SC123456',
      language: 'en',
      contactEmail: 'accounts@example.co.uk',
      contactPhone: null,
    };
    await saveCompanyProfile(anne, british);
    expect(await getCompanyProfile(anne)).toEqual(british);
    expect((await updatedAt(anne)).getTime()).toBeGreaterThan(before.getTime());
    const rows = await database.db.select().from(companyProfiles).where(eq(companyProfiles.userId, anne));
    expect(rows).toHaveLength(1);
  });

  it('keeps each user’s profile to themselves', async () => {
    await saveCompanyProfile(ben, french);
    await saveCompanyProfile(anne, { ...french, contactEmail: 'anne@example.fr' });
    expect(await getCompanyProfile(ben)).toEqual(french);
    expect((await getCompanyProfile(anne))?.contactEmail).toBe('anne@example.fr');
  });
});
