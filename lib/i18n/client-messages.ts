import type { Messages } from '@/messages';

// The messages the browser gets (the root layout's NextIntlClientProvider): what the client components say, not every
// sentence of the portal. The server's own (emails, the privacy notice, page titles and text rendered on the server)
// stay there: every page's HTML carried all of them, about 14 KB gzip in English and 16 KB in French. A namespace
// (`company`) or a part of one (`guidance.shown`), as `useTranslations` names it. Whole namespaces for `actions`,
// `auth`, `company` and `twoFactor`: the forms that check with a shared schema say its message references
// (lib/i18n/message-ref.ts). lib/i18n/client-messages.test.ts fails when a client component asks for more.
export const CLIENT_MESSAGES = [
  'common',
  'actions',
  'auth',
  'company',
  'twoFactor',
  'notifications',
  'handoff',
  'onboardingSteps',
  'onboarding.list',
  'guidance.workspace',
  'guidance.leakDialog',
  'guidance.shown',
  'guidance.countdown',
  'guidance.reauth',
  'guidance.sessions.state',
] as const;

type Tree = { [key: string]: string | Tree };

/** The listed parts of `messages`, in the same shape. */
export function clientMessages(messages: Messages, paths: readonly string[] = CLIENT_MESSAGES): Partial<Messages> {
  const picked: Tree = {};
  for (const path of paths) {
    const keys = path.split('.');
    let from: string | Tree | undefined = messages as unknown as Tree;
    let to = picked;
    for (const [index, key] of keys.entries()) {
      from = typeof from === 'object' ? from[key] : undefined;
      if (from === undefined) break;
      if (index === keys.length - 1) to[key] = from;
      else to = (to[key] ??= {}) as Tree;
    }
  }
  return picked as Partial<Messages>;
}
