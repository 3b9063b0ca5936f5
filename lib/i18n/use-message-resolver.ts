import { useLocale, useTranslations } from 'next-intl';
import { useCallback } from 'react';
import { resolveMessage, type Translate } from './message-ref';

/**
 * For a client form that runs a shared schema itself: says its message references (lib/i18n/message-ref.ts) in the
 * page's language, with the messages the root layout gives the browser.
 */
export function useMessageResolver(): (text: string) => string {
  // Untyped here on purpose: the key was checked where the reference was written (messageRef).
  const translate = useTranslations() as unknown as Translate;
  const locale = useLocale();
  return useCallback((text: string) => resolveMessage(text, translate, locale), [translate, locale]);
}
