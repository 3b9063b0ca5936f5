import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '@/lib/i18n/locales';

// Every key in every locale, and the same ICU arguments in each: a sentence missing in French, or a French sentence
// that forgets {count}, fails here rather than on a user's screen. Reads the folders themselves, so a namespace file
// that messages/index.ts forgot to load is caught too.

type Tree = { [key: string]: string | Tree };

const root = path.resolve(__dirname);
const namespaces = (locale: string) =>
  readdirSync(path.join(root, locale))
    .filter((file) => file.endsWith('.json'))
    .sort();

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

function messagesOf(locale: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const file of namespaces(locale)) {
    const tree = JSON.parse(readFileSync(path.join(root, locale, file), 'utf8')) as Tree;
    for (const [key, value] of flatten(tree, file.replace(/\.json$/, ''))) all.set(key, value);
  }
  return all;
}

/** The arguments a message takes, with their kind: "count:plural", "name:argument", "link:tag". */
function argumentsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument) out.add(`${element.value}:argument`);
    else if (element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) out.add(`${element.value}:${TYPE[element.type]}`);
    else if (element.type === TYPE.plural || element.type === TYPE.select) {
      out.add(`${element.value}:${TYPE[element.type]}`);
      for (const option of Object.values(element.options)) argumentsOf(option.value, out);
    } else if (element.type === TYPE.tag) {
      out.add(`${element.value}:tag`);
      argumentsOf(element.children, out);
    }
  }
  return out;
}

const reference = messagesOf('en');

describe('messages', () => {
  it('has the same namespace files in every locale', () => {
    for (const locale of LOCALES) expect(namespaces(locale), locale).toEqual(namespaces('en'));
  });

  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    const messages = messagesOf(locale);

    it(`${locale} has every English key, and no key English lacks`, () => {
      expect(
        [...reference.keys()].filter((key) => !messages.has(key)),
        'missing',
      ).toEqual([]);
      expect(
        [...messages.keys()].filter((key) => !reference.has(key)),
        'extra',
      ).toEqual([]);
    });

    it(`${locale} messages take the same ICU arguments as the English ones`, () => {
      const mismatched = [...reference].filter(([key, english]) => {
        const translated = messages.get(key);
        if (translated === undefined) return false;
        const a = [...argumentsOf(parse(english, { ignoreTag: false }))].sort();
        const b = [...argumentsOf(parse(translated, { ignoreTag: false }))].sort();
        return a.join() !== b.join();
      });
      expect(mismatched.map(([key]) => key)).toEqual([]);
    });

    it(`${locale} has no message left empty or identical to a long English sentence`, () => {
      // A copied English sentence is a translation not done; short ones (names, "Guidepost", "{page} · Guidepost") may match.
      const untranslated = [...messages].filter(([key, text]) => text.trim() === '' || (text === reference.get(key) && text.split(' ').length > 3));
      expect(untranslated.map(([key]) => key)).toEqual([]);
    });
  }
});
