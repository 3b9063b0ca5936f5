import 'server-only';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

const PASSWORD_MIN_LENGTH = 12;
// argon2 cost grows with input; a cap keeps a login from being a denial of service.
export const PASSWORD_MAX_LENGTH = 128;
// zxcvbn score 3: "safely unguessable: moderate protection from offline slow-hash scenario".
const MIN_SCORE = 3;

let checker: ZxcvbnFactory | undefined;
function strengthChecker(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
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
