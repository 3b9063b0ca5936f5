import { getRequestConfig } from 'next-intl/server';
import { MESSAGES } from '@/messages';
import { DEFAULT_TIME_ZONE } from './format';
import { requestLocale } from './request-locale';

// next-intl's per-request configuration (next.config.mjs points its plugin here): no locale in the URL, the
// language comes from the user, the switch's cookie or the browser (requestLocale).
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: MESSAGES[locale], timeZone: DEFAULT_TIME_ZONE };
});
