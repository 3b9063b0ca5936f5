import { describe, expect, it, vi } from 'vitest';

// The production build holds several copies of lib/ (one per bundle), so an error may be made by one
// copy's class and checked by another copy's guard. vi.resetModules() gives each import a copy of its own.

interface Case {
  name: string;
  load: () => Promise<{ make: () => Error; guard: (error: unknown) => boolean; Class: abstract new (...args: never[]) => Error }>;
}

const CASES: Case[] = [
  {
    name: 'BridgeError',
    load: async () => {
      const m = await import('@/lib/bridge/errors');
      return { make: () => new m.BridgeError('network'), guard: (e) => m.isBridgeError(e), Class: m.BridgeError };
    },
  },
  {
    name: 'FinqwareError',
    load: async () => {
      const m = await import('@/lib/finqware/errors');
      return { make: () => new m.FinqwareError('timeout', { status: 504 }), guard: (e) => m.isFinqwareError(e), Class: m.FinqwareError };
    },
  },
  {
    name: 'OnboardingError',
    load: async () => {
      const m = await import('@/lib/onboarding/errors');
      return { make: () => new m.OnboardingError('upstream', 'Finqware is not answering.'), guard: (e) => m.isOnboardingError(e), Class: m.OnboardingError };
    },
  },
  {
    name: 'DatabaseError',
    load: async () => {
      const m = await import('@/lib/db/errors');
      return {
        make: () => new m.DatabaseError({ code: '23505', constraint: 'users_email_unique' }),
        guard: (e) => m.isDatabaseError(e),
        Class: m.DatabaseError,
      };
    },
  },
  {
    name: 'EnvError',
    load: async () => {
      const m = await import('@/lib/env');
      return { make: () => new m.EnvError(['PORT: must be a port number']), guard: (e) => m.isEnvError(e), Class: m.EnvError };
    },
  },
  {
    name: 'BodyReadError',
    load: async () => {
      const m = await import('@/lib/http/read-body');
      return { make: () => new m.BodyReadError('timeout'), guard: (e) => m.isBodyReadError(e), Class: m.BodyReadError };
    },
  },
];

async function twoCopies<T>(load: () => Promise<T>): Promise<[T, T]> {
  vi.resetModules();
  const first = await load();
  vi.resetModules();
  const second = await load();
  return [first, second];
}

describe.each(CASES)('$name across two copies of its module', ({ name, load }) => {
  it('is recognised by either copy’s guard, though instanceof fails across copies', async () => {
    const [first, second] = await twoCopies(load);
    expect(first.Class).not.toBe(second.Class);
    const fromFirst = first.make();
    const fromSecond = second.make();

    // What the brand is for: instanceof only knows its own copy.
    expect(fromFirst instanceof first.Class).toBe(true);
    expect(fromFirst instanceof second.Class).toBe(false);
    expect(fromSecond instanceof first.Class).toBe(false);

    expect(first.guard(fromFirst)).toBe(true);
    expect(first.guard(fromSecond)).toBe(true);
    expect(second.guard(fromFirst)).toBe(true);
    expect(second.guard(fromSecond)).toBe(true);
    expect(fromSecond.name).toBe(name);
  });

  it('does not recognise a look-alike without the brand', async () => {
    const { guard, make } = await load();
    const real = make();
    // Its fields, or its class's prototype, but not the brand (an instance field).
    const copy = Object.fromEntries(Object.entries(real)) as Record<string, unknown>;
    expect(guard({ ...copy, name, message: real.message })).toBe(false);
    expect(guard(Object.create(Object.getPrototypeOf(real) as object))).toBe(false);
    expect(guard({ name, code: 'network', status: 500 })).toBe(false);
    const impostor = new Error(real.message);
    impostor.name = name;
    expect(guard(impostor)).toBe(false);
    for (const value of [null, undefined, name, 42]) expect(guard(value)).toBe(false);
  });
});

describe('brands', () => {
  it('keep each kind apart: no guard recognises another kind’s error', async () => {
    const loaded = await Promise.all(CASES.map(async (c) => ({ name: c.name, ...(await c.load()) })));
    for (const guarding of loaded) {
      for (const making of loaded) expect(guarding.guard(making.make())).toBe(guarding.name === making.name);
    }
  });
});
