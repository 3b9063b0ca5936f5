import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '@/messages';
import { LOCALES } from './locales';
import { CLIENT_MESSAGES, clientMessages } from './client-messages';

// The browser gets only CLIENT_MESSAGES: a client component asking for a namespace left out would show its keys. Reads
// every client module ('use client') of the product and the message references its shared schemas carry.

const root = path.resolve(__dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

const product = ['app', 'components', 'lib'].flatMap((dir) => files(path.join(root, dir)));
const clientModules = product.filter((file) => /^\s*['"]use client['"]/.test(readFileSync(file, 'utf8')));
const covered = (name: string) => CLIENT_MESSAGES.some((part) => name === part || name.startsWith(`${part}.`));

describe('the messages the browser gets', () => {
  it('cover every namespace a client component asks for', () => {
    const asked: string[] = [];
    for (const file of clientModules) {
      const source = readFileSync(file, 'utf8');
      const calls = [...source.matchAll(/useTranslations\(([^)]*)\)/g)].map((match) => match[1]!.trim());
      for (const call of calls) {
        if (call === '') continue; // the message resolver: its references are checked below
        const literal = /^'([\w.]+)'$/.exec(call);
        expect(literal, `${path.relative(root, file)}: useTranslations(${call}) must name its namespace literally`).not.toBeNull();
        asked.push(literal![1]!);
      }
    }
    expect(asked.length).toBeGreaterThan(20);
    expect(asked.filter((name) => !covered(name))).toEqual([]);
  });

  it('cover every message reference a shared schema can hand a client form', () => {
    const references = product.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/messageRef\('([\w.]+)'/g)].map((match) => match[1]!));
    expect(references.length).toBeGreaterThan(10);
    expect(references.filter((name) => !covered(name))).toEqual([]);
  });

  it('name parts that exist, and leave the server’s own sentences out', () => {
    for (const locale of LOCALES) {
      const picked = clientMessages(MESSAGES[locale]) as Record<string, Record<string, unknown>>;
      for (const part of CLIENT_MESSAGES) {
        const value = part.split('.').reduce<unknown>((tree, key) => (tree as Record<string, unknown> | undefined)?.[key], picked);
        expect(value, `${locale}: ${part}`).toBeTypeOf('object');
      }
      expect(picked.emails).toBeUndefined();
      expect(picked.privacy).toBeUndefined();
      expect(picked.onboarding?.list).toBeDefined();
      expect(picked.onboarding?.page).toBeUndefined();
      expect(JSON.stringify(picked).length).toBeLessThan(JSON.stringify(MESSAGES[locale]).length * 0.8);
    }
  });
});
