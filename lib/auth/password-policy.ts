import 'server-only';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import * as french from '@zxcvbn-ts/language-fr';

const PASSWORD_MIN_LENGTH = 12;
// argon2 cost grows with input; a cap keeps a login from being a denial of service.
export const PASSWORD_MAX_LENGTH = 128;
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

let checker: ZxcvbnFactory | undefined;
function strengthChecker(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({
    // French words too: the users are French companies' staff, and "Motdepasse2026!" is as weak as "Password2026!".
    // The dictionaries' keys differ per language (commonWords-en, commonWords-fr…), so both lists stay whole.
    dictionary: { ...common.dictionary, ...english.dictionary, ...french.dictionary, 'passwords-fr': FRENCH_PASSWORDS },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return checker;
}

/** Returns why a new password is refused, or undefined when it is acceptable. */
export async function passwordWeakness(password: string, userInputs: string[] = []): Promise<string | undefined> {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lowered = password.toLowerCase();
  for (const input of userInputs) {
    const localPart = input.toLowerCase().split('@')[0] ?? '';
    if ((localPart.length >= 4 && lowered.includes(localPart)) || localPart.includes(lowered)) return 'Do not use your email address in your password.';
  }
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.+_-]/)]).filter((s) => s.length >= 3);
  const result = await strengthChecker().checkAsync(password, inputs);
  if (result.score >= MIN_SCORE) return undefined;
  const advice = result.feedback.warning ?? result.feedback.suggestions[0];
  return `This password is too easy to guess${advice ? `: ${advice.replace(/\.$/, '')}` : ''}. Try a longer phrase of unrelated words.`;
}
