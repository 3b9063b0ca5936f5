import 'server-only';
import { deviceCookieFrom, isKnownDevice } from '@/lib/auth/known-device';
import { sendMailAfterResponse } from '@/lib/mail/mailer';
import { newDeviceMail, recipientOf } from '@/lib/mail/templates';
import { findUserByEmail, normaliseEmail } from './users';

/**
 * After a successful login: an email when this browser had never been used with the account (no known-device
 * cookie for it, lib/auth/known-device.ts). Call it before the cookie is set.
 */
export async function noticeLoginFromNewDevice(email: string, request: { cookieHeader: string | null; userAgent: string | null }): Promise<void> {
  const normalised = normaliseEmail(email);
  if (isKnownDevice(normalised, deviceCookieFrom(request.cookieHeader))) return;
  const user = await findUserByEmail(normalised);
  if (!user) return;
  sendMailAfterResponse(newDeviceMail(await recipientOf(user), new Date(), request.userAgent));
}
