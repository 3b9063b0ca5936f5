import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestDatabase } from '@/test/databases';
import { authenticate } from '@/lib/auth/login';
import { loadActiveSession } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db/client';
import { passwordResetTokens } from '@/lib/db/schema';
import { devMailbox } from '@/lib/mail/dev-mailbox';
import { hashLinkToken, isLinkToken, newLinkToken } from '@/lib/secrets/link-token';
import { requestPasswordReset, resetPassword } from './password-reset';
import { signUp } from './service';

const PASSWORD = 'orbit-lantern-velvet-73';
const NEW_PASSWORD = 'saffron-glacier-tandem-41';
const uniqueEmail = () => `reset-${randomUUID()}@example.com`;
const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** The reset email sent to `email` (no SMTP in unit tests: the development mailbox), and its link's token. */
async function resetMailTo(email: string) {
  let mail: ReturnType<typeof devMailbox>[number] | undefined;
  for (let i = 0; i < 50 && !mail; i++) {
    mail = devMailbox().find((m) => m.to === email && m.subject === 'Reset your Guidepost password');
    if (!mail) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!mail) throw new Error(`no reset email for ${email}`);
  const token = /\/reset-password#([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  return { mail, token: token! };
}

describe('link tokens', () => {
  it('are 256 random bits in base64url, and only their SHA-256 is stored', () => {
    const token = newLinkToken();
    expect(isLinkToken(token)).toBe(true);
    expect(newLinkToken()).not.toBe(token);
    expect(hashLinkToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashLinkToken(token)).not.toContain(token);
    for (const bad of ['', 'short', `${token}x`, `${token.slice(1)}!`, 42, null]) expect(isLinkToken(bad)).toBe(false);
  });
});

describe.each(databaseKinds)('password reset on %s', (kind) => {
  useTestDatabase(kind);

  async function account() {
    const email = uniqueEmail();
    const created = await signUp({ email, password: PASSWORD, ip: uniqueIp() });
    if (!created.ok) throw new Error('sign-up failed in test setup');
    return { email, userId: created.userId };
  }

  it('mails a single-use link, in text and HTML, that sets a new password and ends every session', async () => {
    const { email, userId } = await account();
    const login = await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: 'vitest' });
    if (!login.ok) throw new Error('login failed in test setup');

    expect(await requestPasswordReset({ email: email.toUpperCase(), ip: uniqueIp() })).toEqual({ ok: true });
    const { mail, token } = await resetMailTo(email);
    expect(mail.text).toContain('The link works once, for 30 minutes.');
    expect(mail.html).toContain(`/reset-password#${token}`);
    expect(mail.html).toContain('<html lang="en">');
    // Stored as its hash only.
    const rows = await (await getDb()).select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashLinkToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    // A weak password is refused and leaves the link working.
    expect(await resetPassword({ token, newPassword: 'password1234' })).toMatchObject({ ok: false, reason: 'weak' });
    expect(await resetPassword({ token, newPassword: NEW_PASSWORD })).toEqual({ ok: true, email });
    expect(await resetPassword({ token, newPassword: 'another-fine-passphrase-7' })).toEqual({ ok: false, reason: 'invalid_link' });

    expect(await loadActiveSession(login.session.id)).toBeNull();
    expect((await authenticate({ email, password: PASSWORD, ip: uniqueIp(), userAgent: 'vitest' })).ok).toBe(false);
    expect((await authenticate({ email, password: NEW_PASSWORD, ip: uniqueIp(), userAgent: 'vitest' })).ok).toBe(true);
    const changed = devMailbox().find((m) => m.to === email && m.subject === 'Your Guidepost password was changed');
    expect(changed?.text).toMatch(/was reset on .+, through a link sent to this address/);
  });

  it('refuses a link after 30 minutes, and an older link once a newer one is sent', async () => {
    const { email } = await account();
    const sentAt = new Date();
    await requestPasswordReset({ email, ip: uniqueIp(), now: sentAt });
    const first = (await resetMailTo(email)).token;
    const late = new Date(sentAt.getTime() + 30 * 60 * 1000 + 1000);
    expect(await resetPassword({ token: first, newPassword: NEW_PASSWORD, now: late })).toEqual({ ok: false, reason: 'invalid_link' });

    await requestPasswordReset({ email, ip: uniqueIp() });
    let second = first;
    for (let i = 0; i < 50 && second === first; i++) {
      second = /\/reset-password#([A-Za-z0-9_-]+)/.exec(devMailbox().find((m) => m.to === email)!.text)![1]!;
      if (second === first) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(second).not.toBe(first);
    expect(await resetPassword({ token: first, newPassword: NEW_PASSWORD })).toEqual({ ok: false, reason: 'invalid_link' });
    expect(await resetPassword({ token: second, newPassword: NEW_PASSWORD })).toEqual({ ok: true, email });
  });

  it('answers an unknown address as a known one, sends nothing, and limits requests per address', async () => {
    const unknown = uniqueEmail();
    const before = devMailbox().length;
    expect(await requestPasswordReset({ email: unknown, ip: uniqueIp() })).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(devMailbox().length).toBe(before);
    expect(await requestPasswordReset({ email: unknown, ip: uniqueIp() })).toEqual({ ok: true });
    expect(await requestPasswordReset({ email: unknown, ip: uniqueIp() })).toEqual({ ok: true });
    expect(await requestPasswordReset({ email: unknown, ip: uniqueIp() })).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(await resetPassword({ token: newLinkToken(), newPassword: NEW_PASSWORD })).toEqual({ ok: false, reason: 'invalid_link' });
    expect(await resetPassword({ token: 'not a token', newPassword: NEW_PASSWORD })).toEqual({ ok: false, reason: 'invalid_link' });
  });
});
