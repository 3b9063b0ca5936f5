import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BRIDGE_GUIDANCE_LANGUAGES } from '@guidepost/provider-contracts/bridge';
import { describe, expect, it } from 'vitest';

// The sandbox's own messages, held to the rules of the portal's (messages/parity.test.ts, which the sandbox may not
// import): every key in every language, the same ICU arguments in each, no French left empty or copied from English.

type Tree = { [key: string]: string | Tree };

const root = path.resolve(__dirname);
const namespaces = (language: string) =>
  readdirSync(path.join(root, language))
    .filter((file) => file.endsWith('.json'))
    .sort();

function flatten(tree: Tree, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = `${prefix}.${key}`;
    if (typeof value === 'string') out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

function messagesOf(language: string): Map<string, string> {
  const all = new Map<string, string>();
  for (const file of namespaces(language)) {
    const tree = JSON.parse(readFileSync(path.join(root, language, file), 'utf8')) as Tree;
    for (const [key, value] of flatten(tree, file.replace(/\.json$/, ''))) all.set(key, value);
  }
  return all;
}

/** The arguments a message takes, with their kind: "count:plural", "name:argument", "strong:tag". */
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

const signature = (message: string) => [...argumentsOf(parse(message, { ignoreTag: false }))].sort().join();
const reference = messagesOf('en');

describe('sandbox messages', () => {
  it('has a folder for every language the guidance site speaks, with the same files', () => {
    const folders = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).sort()).toEqual([...BRIDGE_GUIDANCE_LANGUAGES].sort());
    expect(reference.size).toBeGreaterThan(0);
    for (const language of BRIDGE_GUIDANCE_LANGUAGES) expect(namespaces(language), language).toEqual(namespaces('en'));
  });

  for (const language of BRIDGE_GUIDANCE_LANGUAGES.filter((l) => l !== 'en')) {
    const messages = messagesOf(language);

    it(`${language} has every English key, and no key English lacks`, () => {
      expect(
        [...reference.keys()].filter((key) => !messages.has(key)),
        'missing',
      ).toEqual([]);
      expect(
        [...messages.keys()].filter((key) => !reference.has(key)),
        'extra',
      ).toEqual([]);
    });

    it(`${language} messages take the same ICU arguments as the English ones`, () => {
      const mismatched = [...reference].filter(([key, english]) => messages.has(key) && signature(english) !== signature(messages.get(key) ?? ''));
      expect(mismatched.map(([key]) => key)).toEqual([]);
    });

    it(`${language} has no message left empty or identical to a long English sentence`, () => {
      const untranslated = [...messages].filter(([key, text]) => text.trim() === '' || (text === reference.get(key) && text.split(' ').length > 3));
      expect(untranslated.map(([key]) => key)).toEqual([]);
    });
  }
});
