import { describe, expect, it } from 'vitest';
import { loginSchema, signupSchema } from './schemas';

describe('the time-zone field of sign-up and login', () => {
  const base = { email: 'a@example.com', password: 'orbit-lantern-velvet-73' };

  it('passes the browser’s zone through, and an absent or empty one as undefined', () => {
    expect(loginSchema.parse({ ...base, timeZone: 'America/New_York' }).timeZone).toBe('America/New_York');
    expect(signupSchema.parse({ ...base, timeZone: '' }).timeZone).toBeUndefined();
    expect(signupSchema.parse(base).timeZone).toBeUndefined();
  });

  it('never refuses the form over it (the server ignores what it does not know)', () => {
    expect(loginSchema.safeParse({ ...base, timeZone: 'x'.repeat(500) })).toMatchObject({ success: true, data: { timeZone: undefined } });
    expect(signupSchema.safeParse({ ...base, timeZone: 42 })).toMatchObject({ success: true, data: { timeZone: undefined } });
  });
});
