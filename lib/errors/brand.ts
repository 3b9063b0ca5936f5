// The production build bundles server code more than once (pages and actions, route handlers,
// instrumentation each get their own copy of lib/), and process-wide singletons on globalThis are
// built by whichever copy ran first. An error thrown by one copy's class is therefore not an
// `instanceof` the other copy's class. Errors carry a brand in the global symbol registry instead,
// which every copy shares, and are recognised by it.

const BRAND = Symbol.for('guidepost.error-brand');

/** The brand property every branded error carries; put `readonly [ERROR_BRAND] = 'Name'` on the class. */
export const ERROR_BRAND: typeof BRAND = BRAND;

/** True when `error` was made by a class branded `name`, whichever copy of the module made it. */
export function hasErrorBrand(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === name;
}
