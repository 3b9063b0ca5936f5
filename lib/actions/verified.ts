import 'server-only';
import type { CurrentUser } from '@/lib/auth/dal';
import { messageRef } from '@/lib/i18n/message-ref';
import { refused, type ActionFailure } from './result';

/**
 * Guidance and onboarding open only to a confirmed address (the sign-up's link): the refusal for an action that
 * would open either, or undefined when the user may go on. Pages say so first (components/account/verify-notice.tsx);
 * this holds for a request that skips the page.
 */
export function unverifiedRefusal(user: CurrentUser): ActionFailure | undefined {
  return user.emailVerified ? undefined : refused('unverified', messageRef('auth.verify.requiredShort'));
}
