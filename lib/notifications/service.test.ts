import { describe, expect, it } from 'vitest';
import { saveCompanyProfile } from '@/lib/company/service';
import { notifications } from '@/lib/db/schema';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { dismissNotification, unreadNotifications } from './service';

describe.each(databaseKinds)('notifications on %s', (kind) => {
  const database = useTestDatabase(kind);

  async function userWithCompany(identificationNumber = '529196313'): Promise<string> {
    const userId = await insertUser(database);
    await saveCompanyProfile(userId, {
      companyName: 'Acme Conseil',
      countryCode: 'FR',
      identificationNumber,
      language: 'fr',
      contactEmail: 'finance@example.fr',
      contactPhone: '+33612345678',
    });
    return userId;
  }

  const notify = (userId: string, companyIdentificationNumber: string | null, kind = 'guidance.ready') =>
    database.db.insert(notifications).values({ userId, kind, companyIdentificationNumber }).returning({ id: notifications.id });

  it('gives what happened, for the page to word in its reader’s language: no sentence, in any language', async () => {
    const userId = await userWithCompany();
    await notify(userId, '529196313');
    const [notice] = await unreadNotifications(userId);
    expect(notice).toEqual({ id: expect.any(String), kind: 'guidance.ready', company: { name: 'Acme Conseil' }, createdAt: expect.any(String) });
    expect(JSON.stringify(notice)).not.toMatch(/guidance is ready|accompagnement/i);
  });

  it('names a company by its number once the profile names another one, and none when the event named none', async () => {
    const userId = await userWithCompany('732829320');
    await notify(userId, '529196313');
    await notify(userId, null);
    const companies = (await unreadNotifications(userId)).map((notice) => notice.company);
    expect(companies).toEqual(expect.arrayContaining([{ identificationNumber: '529196313' }, null]));
    expect(companies).toHaveLength(2);
  });

  it('leaves out kinds it cannot word, and what the user dismissed; someone else’s id dismisses nothing', async () => {
    const userId = await userWithCompany();
    const other = await userWithCompany();
    const [mine] = await notify(userId, '529196313');
    const [theirs] = await notify(other, '529196313');
    await notify(userId, '529196313', 'something.new');
    expect(await unreadNotifications(userId)).toHaveLength(1);
    await dismissNotification(userId, theirs!.id);
    expect(await unreadNotifications(other)).toHaveLength(1);
    await dismissNotification(userId, mine!.id);
    expect(await unreadNotifications(userId)).toEqual([]);
  });
});
