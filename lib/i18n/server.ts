import 'server-only';
import { createTranslator, type Messages, type NamespaceKeys, type NestedKeyOf } from 'next-intl';
import { MESSAGES } from '@/messages';
import type { Locale } from './locales';
import { serverLocale } from './request-locale';

// For lib/ (server actions' work, route handlers, errors): next-intl's getTranslations needs the react-server
// build, which unit tests do not load. The same messages and the same resolution of the language; pages and
// server components use getTranslations from next-intl/server.

type Namespace = NamespaceKeys<Messages, NestedKeyOf<Messages>>;

/** A translator for one namespace, in the given language. */
export function translatorFor<N extends Namespace>(locale: Locale, namespace: N) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace });
}

/** A translator for one namespace in the request's language (English outside a request). */
export async function translator<N extends Namespace>(namespace: N) {
  return translatorFor(await serverLocale(), namespace);
}
