import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The workspace's boundaries (eslint.config.mjs) hold: ESLint, run on code as it would stand at a given
// path, refuses the forbidden imports and lets the allowed ones through. The files need not exist: the
// path alone picks the rules and resolves relative imports.

const ROOT = path.resolve(import.meta.dirname, '..');
const BOUNDARY_RULES = new Set(['import/no-restricted-paths', 'no-restricted-imports']);

let eslint: ESLint;

beforeAll(() => {
  // import/no-cycle walks the dependency graph from the linted file and fails on one that is not on disk;
  // cycles have their own test (import-cycles.test.ts).
  eslint = new ESLint({ cwd: ROOT, overrideConfig: { rules: { 'import/no-cycle': 'off' } } });
});

/** The boundary rules' messages for `code` placed at `file` (other rules, e.g. unused variables, are not this test's business). */
async function boundaryProblems(file: string, code: string): Promise<Array<{ rule: string | null; message: string }>> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  expect(result?.messages.filter((message) => message.fatal)).toEqual([]);
  return (result?.messages ?? [])
    .filter((message) => message.ruleId !== null && BOUNDARY_RULES.has(message.ruleId))
    .map(({ ruleId, message }) => ({ rule: ruleId, message }));
}

const importing = (specifier: string) => `import * as imported from '${specifier}';\n\nexport const used = imported;\n`;

describe('lint boundaries', () => {
  it('refuses the sandbox in product code', async () => {
    for (const file of ['lib/x.ts', 'app/(portal)/x/page.tsx', 'components/x.tsx']) {
      expect(await boundaryProblems(file, importing('@guidepost/sandbox/bridge'))).toEqual([
        { rule: 'import/no-restricted-paths', message: expect.stringContaining('app/sandbox/mount.ts is the one place') },
      ]);
    }
    expect(await boundaryProblems('lib/x.ts', importing('@guidepost/sandbox/finqware'))).toHaveLength(1);
    expect(await boundaryProblems('lib/x.ts', importing('../packages/sandbox/src/finqware/state'))).toHaveLength(1);
  });

  it('refuses the product in the sandbox, by alias or by a relative escape', async () => {
    // The alias is refused twice over: by name, and as a path into the product once resolved.
    const alias = await boundaryProblems('packages/sandbox/src/bridge/x.ts', importing('@/lib/env'));
    expect(alias).toHaveLength(2);
    expect(alias).toEqual(
      expect.arrayContaining([
        { rule: 'no-restricted-imports', message: expect.stringContaining('imports nothing from the product') },
        { rule: 'import/no-restricted-paths', message: expect.stringContaining('never the product') },
      ]),
    );
    expect(await boundaryProblems('packages/sandbox/src/x.ts', importing('../../../lib/log'))).toEqual([
      { rule: 'import/no-restricted-paths', message: expect.stringContaining('never the product') },
    ]);
    expect(await boundaryProblems('packages/sandbox/src/kit/x.ts', importing('next/server'))).toEqual([
      { rule: 'no-restricted-imports', message: expect.stringContaining('outside Next.js') },
    ]);
  });

  it('refuses the sandbox and the product in the contracts', async () => {
    expect(await boundaryProblems('packages/provider-contracts/src/bridge/x.ts', importing('@guidepost/sandbox/bridge'))).toEqual([
      { rule: 'import/no-restricted-paths', message: expect.stringContaining('The wire contract stands alone') },
    ]);
    expect(await boundaryProblems('packages/provider-contracts/src/x.ts', importing('../../../lib/log'))).toHaveLength(1);
  });

  it('lets the mount, the tests and the sandbox itself import what they need', async () => {
    expect(await boundaryProblems('app/sandbox/mount.ts', importing('@guidepost/sandbox/bridge'))).toEqual([]);
    expect(await boundaryProblems('lib/x.test.ts', importing('@guidepost/sandbox/finqware'))).toEqual([]);
    expect(await boundaryProblems('lib/x.ts', importing('@guidepost/provider-contracts/finqware'))).toEqual([]);
    expect(await boundaryProblems('packages/sandbox/src/bridge/x.ts', importing('@guidepost/provider-contracts/bridge'))).toEqual([]);
    expect(await boundaryProblems('packages/sandbox/src/bridge/x.ts', importing('../kit/faults'))).toEqual([]);
  });
});
