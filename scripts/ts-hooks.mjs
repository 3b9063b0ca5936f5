// Lets the pinned Node run the project's TypeScript directly (npm run rotate-keys), with no bundler: it
// resolves the `@/` alias of tsconfig.json and extension-less imports the way Next.js and Vitest do.
// Node itself removes the types (--experimental-transform-types, since some classes use parameter properties).
import { statSync } from 'node:fs';
import { registerHooks } from 'node:module';

const root = new URL('../', import.meta.url);
const CANDIDATES = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

function isFile(url) {
  try {
    return statSync(url).isFile();
  } catch {
    return false;
  }
}

const isOurs = (url) => url.startsWith(root.href) && !url.includes('/node_modules/');

function resolveOurs(specifier, context, nextResolve) {
  // Packages resolve their own imports (and CommonJS requires) as usual.
  if (!context.parentURL || !isOurs(context.parentURL)) return nextResolve(specifier, context);
  const local = specifier.startsWith('@/') ? new URL(specifier.slice(2), root).href : specifier;
  if (!/^(\.{1,2}\/|file:)/.test(local)) return nextResolve(local, context);
  const base = new URL(local, context.parentURL).href;
  const found = CANDIDATES.map((suffix) => new URL(base + suffix)).find(isFile);
  return nextResolve(found?.href ?? base, context);
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = resolveOurs(specifier, context, nextResolve);
    // The project's own TypeScript is ES modules (package.json has no "type", which would make Node guess).
    return isOurs(resolved.url) && /\.tsx?$/.test(resolved.url) ? { ...resolved, format: 'module-typescript' } : resolved;
  },
});
