import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds, useTestDatabase } from '@/test/databases';
import { devMailbox } from '@/lib/mail/dev-mailbox';
import { resendVerificationLink, VERIFICATION_TTL_MS, verifyEmail } from './email-verification';
import { signUp } from './service';
import { findUserById } from './users';

const PASSWORD = 'orbit-lantern-velvet-73';
const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** The newest email to `to` with `subject`, waiting for the after-response send. */
async function newestMail(to: string, subject: string, not?: string) {
  for (let i = 0; i < 100; i++) {
    const mail = devMailbox().find((m) => m.to === to && m.subject === subject && m.id !== not);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no "${subject}" email to ${to}`);
}
const tokenOf = (text: string) => /\/verify-email#([A-Za-z0-9_-]{43})/.exec(text)![1]!;

describe.each(databaseKinds)('confirming the address on %s', (kind) => {
  useTestDatabase(kind);

  it('a new account gets a single-use link; its owner is then verified', async () => {
    const email = `verify-${randomUUID()}@example.com`;
    const created = await signUp({ email, password: PASSWORD, ip: uniqueIp() });
    if (!created.ok) throw new Error('sign-up failed in test setup');
    expect(created.created).toBe(true);
    expect((await findUserById(created.userId))?.emailVerifiedAt).toBeNull();
    const mail = await newestMail(email, 'Confirm your email address for Guidepost');
    expect(mail.text).toContain('The link works once, for 24 hours.');
    const token = tokenOf(mail.text);
    expect(await verifyEmail(token)).toEqual({ ok: true, userId: created.userId, email });
    expect((await findUserById(created.userId))?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await verifyEmail(token)).toEqual({ ok: false, reason: 'invalid_link' });
    expect(await resendVerificationLink(created.userId)).toEqual({ ok: false, reason: 'already_verified' });
  });

  it('a link older than 24 hours, or replaced by a newer one, confirms nothing; resending is limited', async () => {
    const email = `verify-${randomUUID()}@example.com`;
    const created = await signUp({ email, password: PASSWORD, ip: uniqueIp() });
    if (!created.ok) throw new Error('sign-up failed in test setup');
    const first = await newestMail(email, 'Confirm your email address for Guidepost');
    expect(await verifyEmail(tokenOf(first.text), new Date(Date.now() + VERIFICATION_TTL_MS + 1000))).toEqual({ ok: false, reason: 'invalid_link' });

    expect(await resendVerificationLink(created.userId)).toEqual({ ok: true });
    const second = await newestMail(email, 'Confirm your email address for Guidepost', first.id);
    expect(await verifyEmail(tokenOf(first.text))).toEqual({ ok: false, reason: 'invalid_link' });
    expect(await resendVerificationLink(created.userId)).toEqual({ ok: true });
    expect(await resendVerificationLink(created.userId)).toEqual({ ok: true });
    expect(await resendVerificationLink(created.userId)).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(second.id).not.toBe(first.id);
  });

  it('signing up with an address that has an account answers the same and emails its owner, who stays as they were', async () => {
    const email = `verify-${randomUUID()}@example.com`;
    const created = await signUp({ email, password: PASSWORD, ip: uniqueIp() });
    if (!created.ok) throw new Error('sign-up failed in test setup');
    const again = await signUp({ email, password: 'another-fine-passphrase-7', ip: uniqueIp() });
    expect(again).toEqual({ ok: true, userId: created.userId, created: false });
    const notice = await newestMail(email, 'You already have a Guidepost account');
    expect(notice.text).toMatch(/\/forgot-password/);
    expect(notice.text).not.toMatch(/verify-email#/);
  });
});
