import type { MessageKeys, NestedKeyOf } from 'next-intl';
import type { Messages } from '@/messages';
import type { Locale } from './locales';

// Sentences written where the reader's language is not known yet: zod schemas (one schema, shared by the browser and
// the server action), the static parts of an action's spec (`invalid.message`, `reauthMessage`) and small synchronous
// helpers (lib/auth/rate-limit.ts's waitMessage). Such code writes a message reference, messageRef('company.errors.x',
// { count }): a string, so it fits wherever zod or an ActionResult takes a message, that names a key of messages/
// and its values. It is said in the reader's language where the result is shown:
//   - the action wrapper (lib/actions/action.ts) resolves every reference in a result (its message, its field
//     errors, its details) in the request's language before the result goes back, so an action's schema needs
//     nothing more than references for French field errors;
//   - a client form that runs the same schema itself resolves its errors with useMessageResolver()
//     (lib/i18n/use-message-resolver.ts); a server page with messageResolver(locale) (lib/i18n/resolve.ts).
// Anything else passes through unchanged: a sentence already in the reader's language (from `translator()`), or a
// literal. Code that knows the request (an action's work, a service, a route handler) just uses `translator()`.

/** Any sentence of messages/, namespace first: 'company.errors.sirenLength'. Typed, so a wrong key does not compile. */
export type MessageKey = MessageKeys<Messages, NestedKeyOf<Messages>>;

/**
 * A value of a referenced message: plain, the name of a country in the reader's language (`{ region: 'DE' }` →
 * "Germany", "Allemagne"), or another reference (said in the same language).
 */
export type MessageValue = string | number | { region: string };

export type MessageValues = Record<string, MessageValue>;

/** What resolves a key: next-intl's translator of every namespace (useTranslations(), createTranslator()). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

const PREFIX = 'i18n:';

/** A reference to a sentence of messages/, said later in the reader's language (see above). */
export function messageRef(key: MessageKey, values?: MessageValues): string {
  return `${PREFIX}${JSON.stringify(values ? [key, values] : [key])}`;
}

export function isMessageRef(text: string): boolean {
  return text.startsWith(`${PREFIX}["`);
}

function parseRef(text: string): [string, MessageValues | undefined] | undefined {
  if (!isMessageRef(text)) return undefined;
  try {
    const [key, values] = JSON.parse(text.slice(PREFIX.length)) as [unknown, unknown];
    if (typeof key !== 'string') return undefined;
    return [key, values && typeof values === 'object' ? (values as MessageValues) : undefined];
  } catch {
    return undefined;
  }
}

/** The sentence a text stands for in `locale`: a reference translated, anything else as it is. */
export function resolveMessage(text: string, translate: Translate, locale: Locale): string {
  const ref = parseRef(text);
  if (!ref) return text;
  const [key, values] = ref;
  if (!values) return translate(key);
  const said: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'object' && value !== null) said[name] = new Intl.DisplayNames([locale], { type: 'region' }).of(value.region) ?? value.region;
    else if (typeof value === 'string') said[name] = resolveMessage(value, translate, locale);
    else said[name] = value;
  }
  return translate(key, said);
}

/** Field errors (zod's flattened ones, or a result's) with every reference said in the reader's language. */
export function resolveFieldErrors<K extends string>(errors: Partial<Record<K, string[]>>, resolve: (text: string) => string): Partial<Record<K, string[]>> {
  const out: Partial<Record<K, string[]>> = {};
  for (const [field, messages] of Object.entries(errors) as [K, string[] | undefined][]) if (messages) out[field] = messages.map(resolve);
  return out;
}
