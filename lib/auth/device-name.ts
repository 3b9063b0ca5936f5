import 'server-only';
import Bowser from 'bowser';
import type { Locale } from '@/lib/i18n/locales';
import { translatorFor } from '@/lib/i18n/server';

/**
 * The browser and system a User-Agent names, for people ("Chrome on Linux", "Firefox sous Windows"), never for
 * decisions: a User-Agent is whatever the client says.
 */
export function deviceName(userAgent: string | null | undefined, locale: Locale): string {
  const t = translatorFor(locale, 'auth.account.sessions');
  const parsed = userAgent ? Bowser.parse(userAgent) : undefined;
  const browser = parsed?.browser.name;
  const os = parsed?.os.name;
  return browser && os ? t('device', { browser, os }) : t('unknownDevice');
}
