import 'server-only';
import { _createCache, _createIntlFormatters, createTranslator, type Messages, type NamespaceKeys, type NestedKeyOf } from 'next-intl';
import { MESSAGES } from '@/messages';
import { DEFAULT_TIME_ZONE } from './format';
import type { Locale } from './locales';
import { requestLocale, serverLocale } from './request-locale';

// The server's translators, for pages, server components, actions, route handlers and lib/ alike. next-intl's own
// getTranslations (next-intl/server) compiles every message it formats again on every request (its cache lives for
// one request); these share one cache per process: a message is compiled once, in each language, and formatted from
// then on (the cache is keyed by language, namespace, key and message text, so nothing of one request reaches
// another but the compiled messages). Same messages, same language resolution, same time zone as next-intl's.

type Namespace = NamespaceKeys<Messages, NestedKeyOf<Messages>>;

const formatting = (() => {
  const cache = _createCache();
  return { _cache: cache, _formatters: _createIntlFormatters(cache) };
})();

/** A translator for one namespace, in the given language. */
export function translatorFor<N extends Namespace>(locale: Locale, namespace: N) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace, timeZone: DEFAULT_TIME_ZONE, ...formatting });
}

/** A translator for one namespace in the request's language (English outside a request). */
export async function translator<N extends Namespace>(namespace: N) {
  return translatorFor(await serverLocale(), namespace);
}

/** For pages and server components: a translator for one namespace in the request's language. */
export async function getTranslations<N extends Namespace>(namespace: N) {
  return translatorFor(await requestLocale(), namespace);
}
