import 'server-only';
import { findUserById } from '@/lib/account/users';
import { getCompanyProfile } from '@/lib/company/service';
import { getEnv } from '@/lib/env';
import { isLocale } from '@/lib/i18n/locales';
import { queueMail } from '@/lib/mail/mailer';
import { guidanceReadyMail, recipientOf } from '@/lib/mail/templates';

/**
 * The guidance-ready email, for a user who opted in (account page), once per notification: in their language, else
 * their company's (Bridge's guidance language), naming the company as the portal's notice does.
 */
export async function emailGuidanceReady(userId: string, identificationNumber: string): Promise<void> {
  const user = await findUserById(userId);
  if (!user?.guidanceEmail) return;
  const profile = await getCompanyProfile(userId);
  const company = profile?.companyName || identificationNumber;
  const fallback = isLocale(profile?.language) ? profile.language : 'fr';
  // The webhook worker's own work, not a page's: tried here and now; the mail worker retries a failure.
  await queueMail(guidanceReadyMail(await recipientOf(user, fallback), company, getEnv().appUrl));
}
