import 'server-only';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import * as french from '@zxcvbn-ts/language-fr';
import type { Locale } from '@/lib/i18n/locales';
import { serverLocale } from '@/lib/i18n/request-locale';
import { translatorFor } from '@/lib/i18n/server';
import { PASSWORD_MAX_LENGTH } from './password';

const PASSWORD_MIN_LENGTH = 12;
// zxcvbn score 3: "safely unguessable: moderate protection from offline slow-hash scenario".
const MIN_SCORE = 3;

// The commonest French passwords, most common first, from the yearly published lists (NordPass, Dashlane France).
// zxcvbn's password list ranks "motdepasse" 12 668th, so "Motdepasse2026!" scored 3 with the French words alone:
// these words rank first here, as "password" does in English.
const FRENCH_PASSWORDS = [
  'azerty',
  'motdepasse',
  'azertyuiop',
  'doudou',
  'loulou',
  'soleil',
  'marseille',
  'chouchou',
  'bonjour',
  'jetaime',
  'coucou',
  'chocolat',
  'princesse',
  'motdepass',
  'secret',
  'bienvenue',
  'camille',
  'nicolas',
  'julien',
  'olivier',
];

type Feedback = typeof english.translations;
type FeedbackGroup = 'warnings' | 'suggestions';

// zxcvbn words its feedback in the language it was built with. It is built once, with its own keys as the "words"
// ("warnings.topTen"), and the key is said in the user's language afterwards from the language packs' translations.
function keysOf(translations: Feedback): Feedback {
  const keyed = (group: keyof Feedback) => Object.fromEntries(Object.keys(translations[group]).map((key) => [key, `${group}.${key}`]));
  return { warnings: keyed('warnings'), suggestions: keyed('suggestions'), timeEstimation: keyed('timeEstimation') } as Feedback;
}

// French typography for the French pack's sentences: « » rather than straight quotes, ’ for the apostrophe, and a
// no-break space before the colon.
function frenchTypography(text: string): string {
  return text
    .replace(/'([^'\s][^']*)'/g, '«\u00a0$1\u00a0»')
    .replace(/'/g, '’')
    .replace(/\s*:/g, '\u00a0:');
}

const FEEDBACK: Record<Locale, (group: FeedbackGroup, key: string) => string | undefined> = {
  en: (group, key) => (english.translations[group] as Record<string, string>)[key],
  fr: (group, key) => {
    const text = (french.translations[group] as Record<string, string>)[key];
    return text === undefined ? undefined : frenchTypography(text);
  },
};

/** zxcvbn's advice (a key such as "warnings.topTen") in the user's language. */
function adviceIn(locale: Locale, keyed: string): string | undefined {
  const [group, key] = keyed.split('.') as [FeedbackGroup, string];
  const text = FEEDBACK[locale](group, key) ?? FEEDBACK.en(group, key);
  if (!text) return undefined;
  const sentence = text.replace(/\.$/, '');
  // It follows a colon: a French sentence goes on in lower case there ("… à deviner : ce mot de passe…").
  return locale === 'fr' ? sentence.charAt(0).toLowerCase() + sentence.slice(1) : sentence;
}

let checker: ZxcvbnFactory | undefined;
function strengthChecker(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({
    // French words too: the users are French companies' staff, and "Motdepasse2026!" is as weak as "Password2026!".
    // The dictionaries' keys differ per language (commonWords-en, commonWords-fr…), so both lists stay whole.
    dictionary: { ...common.dictionary, ...english.dictionary, ...french.dictionary, 'passwords-fr': FRENCH_PASSWORDS },
    graphs: common.adjacencyGraphs,
    translations: keysOf(english.translations),
  });
  return checker;
}

/**
 * Returns why a new password is refused, in the user's language (the request's unless given), or undefined when
 * it is acceptable.
 */
export async function passwordWeakness(password: string, userInputs: string[] = [], locale?: Locale): Promise<string | undefined> {
  const language = locale ?? (await serverLocale());
  const t = translatorFor(language, 'auth');
  if (password.length < PASSWORD_MIN_LENGTH) return t('fields.passwordMin', { min: PASSWORD_MIN_LENGTH });
  if (password.length > PASSWORD_MAX_LENGTH) return t('fields.passwordMax', { max: PASSWORD_MAX_LENGTH });
  const lowered = password.toLowerCase();
  for (const input of userInputs) {
    const localPart = input.toLowerCase().split('@')[0] ?? '';
    if ((localPart.length >= 4 && lowered.includes(localPart)) || localPart.includes(lowered)) return t('password.containsEmail');
  }
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.+_-]/)]).filter((s) => s.length >= 3);
  const result = await strengthChecker().checkAsync(password, inputs);
  if (result.score >= MIN_SCORE) return undefined;
  const keyed = result.feedback.warning ?? result.feedback.suggestions[0];
  const advice = keyed ? adviceIn(language, keyed) : undefined;
  return advice ? t('password.tooEasyWithAdvice', { advice }) : t('password.tooEasy');
}
