import 'server-only';
import { createTranslator } from 'next-intl';
import { MESSAGES } from '@/messages';
import type { Locale } from './locales';
import { resolveMessage, type Translate } from './message-ref';

/** Says message references (lib/i18n/message-ref.ts) in `locale`; other text passes through. */
export function messageResolver(locale: Locale): (text: string) => string {
  // Untyped here on purpose: the key was checked where the reference was written (messageRef).
  const translate = createTranslator({ locale, messages: MESSAGES[locale] }) as unknown as Translate;
  return (text) => resolveMessage(text, translate, locale);
}
