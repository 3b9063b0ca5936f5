import Negotiator from 'negotiator';

// Which language a request is answered in. Pure: lib/i18n/request-locale.ts feeds it the request.

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Guidepost's users are mostly French companies: French when nothing else says. */
export const DEFAULT_LOCALE: Locale = 'fr';

/** The language chosen with the switch (any visitor, signed in or not); a signed-in user's choice is saved too. */
export const LOCALE_COOKIE = 'guidepost-locale';
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** Each language named in itself, as the switch shows it. */
export const LOCALE_NAMES: Record<Locale, string> = { fr: 'Français', en: 'English' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The browser's preferred language among ours ("fr-CA,fr;q=0.9,en;q=0.8" → fr), undefined when it names none of them. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | undefined {
  if (!acceptLanguage) return undefined;
  const preferred = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages();
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

export interface LocaleSources {
  /** The signed-in user's saved preference. */
  saved?: string | null;
  /** The switch's cookie. */
  chosen?: string | null;
  /** The request's Accept-Language header. */
  acceptLanguage?: string | null;
}

/** The user's saved preference, else the switch's choice on this browser, else the browser's languages, else French. */
export function resolveLocale({ saved, chosen, acceptLanguage }: LocaleSources): Locale {
  if (isLocale(saved)) return saved;
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}
