import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// No import cycles anywhere in the source, type-only imports included: ESLint's import/no-cycle skips
// `import type`, yet a type cycle still ties modules together (and the next value import through it is
// a runtime cycle). The graph is built from each file's import and export-from specifiers, as
// TypeScript's own pre-processor lists them.

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['app', 'components', 'lib', ...readdirSync(path.join(ROOT, 'packages')).map((name) => path.join('packages', name, 'src'))];
const EXTENSIONS = ['.ts', '.tsx'];

function sourceFiles(root: string, directories: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (EXTENSIONS.some((extension) => entry.name.endsWith(extension))) files.push(full);
    }
  };
  for (const directory of directories) if (existsSync(path.join(root, directory))) walk(path.join(root, directory));
  return files.sort();
}

/** The workspace packages' exports: "@guidepost/sandbox/bridge" → its file. */
function workspaceExports(root: string): Map<string, string> {
  const exports = new Map<string, string>();
  const packages = path.join(root, 'packages');
  if (!existsSync(packages)) return exports;
  for (const name of readdirSync(packages)) {
    const manifest = path.join(packages, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; exports?: Record<string, string> };
    for (const [subpath, target] of Object.entries(parsed.exports ?? {})) {
      if (parsed.name && typeof target === 'string') exports.set(path.posix.join(parsed.name, subpath), path.join(packages, name, target));
    }
  }
  return exports;
}

function asFile(candidate: string): string | undefined {
  for (const option of [
    candidate,
    ...EXTENSIONS.map((extension) => candidate + extension),
    ...EXTENSIONS.map((extension) => path.join(candidate, `index${extension}`)),
  ]) {
    if (existsSync(option) && statSync(option).isFile() && EXTENSIONS.some((extension) => option.endsWith(extension))) return option;
  }
  return undefined;
}

/** Each source file and the source files it imports: `@/…`, relative and workspace specifiers (the rest are outside the tree). */
function importGraph(root: string, directories: readonly string[]): Map<string, string[]> {
  const packages = workspaceExports(root);
  const files = sourceFiles(root, directories);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName: specifier } of importedFiles) {
      let target: string | undefined;
      if (specifier.startsWith('@/')) target = asFile(path.join(root, specifier.slice(2)));
      else if (specifier.startsWith('.')) target = asFile(path.resolve(path.dirname(file), specifier));
      else if (packages.has(specifier)) target = packages.get(specifier);
      if (target !== undefined) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Every cycle's files, one list per strongly connected component (Tarjan), each in import order from its first file. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;

  const connect = (node: string) => {
    index.set(node, counter);
    lowLink.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        lowLink.set(node, Math.min(lowLink.get(node)!, lowLink.get(next)!));
      } else if (onStack.has(next)) {
        lowLink.set(node, Math.min(lowLink.get(node)!, index.get(next)!));
      }
    }
    if (lowLink.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);

  // One concrete loop per component, so the message reads as a path: a → b → c → a.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const next of graph.get(node) ?? []) {
        if (next === start) {
          const loop = [node];
          while (loop[0] !== start) loop.unshift(previous.get(loop[0]!)!);
          return [...loop, start];
        }
        if (members.has(next) && !previous.has(next)) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    return [start, start];
  });
}

function describeCycles(root: string, cycles: readonly string[][]): string[] {
  return cycles.map((cycle) => cycle.map((file) => path.relative(root, file)).join(' → '));
}

describe('import cycles', () => {
  it('finds a cycle made of a type-only import (the check itself works)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
    try {
      const write = (file: string, text: string) => {
        const full = path.join(root, file);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, text);
      };
      write('lib/a.ts', "import type { B } from './b';\nexport type A = { b?: B };\n");
      write('lib/b.ts', "import { c } from '@/lib/c';\nexport type B = { c: typeof c };\n");
      write('lib/c.ts', "export { type A } from './a';\nexport const c = 1;\n");
      write('lib/d.ts', "import { c } from './c';\nexport const d = c;\n");
      const cycles = describeCycles(root, findCycles(importGraph(root, ['lib'])));
      expect(cycles).toEqual(['lib/a.ts → lib/b.ts → lib/c.ts → lib/a.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('there are none in app/, components/, lib/ and packages/*/src, type imports included', () => {
    const graph = importGraph(ROOT, SOURCE_DIRS);
    // The walk must have found the tree, or an empty graph would pass.
    expect(graph.size).toBeGreaterThan(100);
    expect(describeCycles(ROOT, findCycles(graph))).toEqual([]);
  });
});
