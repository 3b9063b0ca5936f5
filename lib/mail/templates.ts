import 'server-only';
import { deviceName } from '@/lib/auth/device-name';
import { formatDateTime } from '@/lib/i18n/format';
import type { User } from '@/lib/db/schema';
import { isLocale, type Locale } from '@/lib/i18n/locales';
import { serverLocale } from '@/lib/i18n/request-locale';
import { translatorFor } from '@/lib/i18n/server';
import { escapeHtml } from '@/lib/http/escape-html';
import type { Mail, MailKind } from './transport';

// Each email in the reader's language, as plain text and as HTML saying the same: a greeting, a few sentences, at most
// one link (the one the email exists for), the signature and a footer naming the account. Nothing else of the
// account goes in: no password, no token but the link's own.

export interface Recipient {
  userId: string;
  email: string;
  locale: Locale;
  /** IANA zone for the times the email states; Europe/Paris when unknown. */
  timeZone: string | null;
}

/**
 * Who an email about `user` goes to, in the language they saved, else `fallback` (work outside a request: the
 * company's language), else the one of the request that caused it.
 */
export async function recipientOf(user: Pick<User, 'id' | 'email' | 'locale' | 'timeZone'>, fallback?: Locale): Promise<Recipient> {
  const locale = isLocale(user.locale) ? user.locale : (fallback ?? (await serverLocale()));
  return { userId: user.id, email: user.email, locale, timeZone: user.timeZone };
}

interface Body {
  kind: MailKind;
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** After the action: how long it works, what to do if it was not you. */
  after: string[];
}

function compose(to: Recipient, body: Body): Mail {
  const t = translatorFor(to.locale, 'emails');
  const footer = t('common.footer', { email: to.email });
  const text = [
    t('common.greeting'),
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...(body.action ? [`${body.action.label}:`, body.action.url, ''] : []),
    ...body.after.flatMap((p) => [p, '']),
    t('common.signature'),
    '',
    '--',
    footer,
  ].join('\n');
  const p = (content: string) => `<p style="margin:0 0 16px">${content}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${to.locale}"><head><meta charset="utf-8"><title>${escapeHtml(body.subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f8fafc;color:#0f172a;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #cbd5e1;border-radius:8px;padding:24px">',
    '<p style="margin:0 0 24px;font-size:20px;font-weight:bold;color:#1e3a8a">Guidepost</p>',
    p(escapeHtml(t('common.greeting'))),
    ...body.paragraphs.map((x) => p(escapeHtml(x))),
    body.action
      ? p(
          `<a href="${escapeHtml(body.action.url)}" style="display:inline-block;background:#1e40af;color:#ffffff;padding:12px 20px;border-radius:6px;font-weight:bold;text-decoration:none">${escapeHtml(body.action.label)}</a>`,
        ) + p(`<span style="font-size:14px;color:#334155">${escapeHtml(body.action.url)}</span>`)
      : '',
    ...body.after.map((x) => p(escapeHtml(x))),
    p(escapeHtml(t('common.signature'))),
    `<p style="margin:24px 0 0;font-size:13px;color:#475569">${escapeHtml(footer)}</p>`,
    '</div></body></html>',
  ].join('\n');
  return { kind: body.kind, to: to.email, userId: to.userId, subject: body.subject, text, html };
}

const timeFor = (to: Recipient, at: Date) => formatDateTime(at, { locale: to.locale, timeZone: to.timeZone });

/** The reset link, valid `minutes`, used once. */
export function passwordResetMail(to: Recipient, link: string, minutes: number): Mail {
  const t = translatorFor(to.locale, 'emails.passwordReset');
  return compose(to, {
    kind: 'password_reset',
    subject: t('subject'),
    paragraphs: [t('intro')],
    action: { label: t('action'), url: link },
    after: [t('expiry', { minutes }), t('ignore')],
  });
}

/** The password changed, from the account page (`how: 'changed'`) or through a reset link. */
export function passwordChangedMail(to: Recipient, at: Date, how: 'changed' | 'reset'): Mail {
  const t = translatorFor(to.locale, 'emails');
  return compose(to, {
    kind: 'password_changed',
    subject: t('passwordChanged.subject'),
    paragraphs: [how === 'reset' ? t('passwordChanged.bodyReset', { time: timeFor(to, at) }) : t('passwordChanged.body', { time: timeFor(to, at) })],
    after: [t('common.notYou')],
  });
}

export function accountDeletedMail(to: Recipient, at: Date): Mail {
  const t = translatorFor(to.locale, 'emails.accountDeleted');
  return compose(to, { kind: 'account_deleted', subject: t('subject'), paragraphs: [t('body', { time: timeFor(to, at) })], after: [t('notYou')] });
}

export type SecondFactorChange = { factor: 'totp' | 'passkey'; action: 'added' | 'removed'; name?: string };

/** A second factor (authenticator app, passkey) added to or removed from the account. */
export function secondFactorMail(to: Recipient, at: Date, change: SecondFactorChange): Mail {
  const t = translatorFor(to.locale, 'emails.secondFactor');
  const factor = change.factor === 'totp' ? t('totp') : t('passkey', { name: change.name ?? '' });
  return compose(to, {
    kind: 'second_factor_changed',
    subject: change.action === 'added' ? t('subjectAdded') : t('subjectRemoved'),
    paragraphs: [change.action === 'added' ? t('bodyAdded', { factor, time: timeFor(to, at) }) : t('bodyRemoved', { factor, time: timeFor(to, at) })],
    after: [translatorFor(to.locale, 'emails')('common.notYou')],
  });
}

/** A login from a browser the account had not been used in (no known-device cookie). */
export function newDeviceMail(to: Recipient, at: Date, userAgent: string | null): Mail {
  const t = translatorFor(to.locale, 'emails.newDevice');
  return compose(to, {
    kind: 'new_device',
    subject: t('subject'),
    paragraphs: [t('body', { device: deviceName(userAgent, to.locale), time: timeFor(to, at) })],
    after: [t('ifYou'), t('notYou')],
  });
}

/** The sign-up's link to confirm the address. */
export function verificationMail(to: Recipient, link: string): Mail {
  const t = translatorFor(to.locale, 'emails.verify');
  return compose(to, {
    kind: 'email_verification',
    subject: t('subject'),
    paragraphs: [t('intro')],
    action: { label: t('action'), url: link },
    after: [t('expiry'), t('ignore')],
  });
}

/** Sign-up with an address that has an account: the same answer on the page, this email in the mailbox. */
export function accountExistsMail(to: Recipient, appUrl: string): Mail {
  const t = translatorFor(to.locale, 'emails.accountExists');
  return compose(to, {
    kind: 'account_exists',
    subject: t('subject'),
    paragraphs: [t('body'), t('login', { url: `${appUrl}/login` }), t('reset', { url: `${appUrl}/forgot-password` })],
    after: [t('ignore')],
  });
}

/** Bridge said new guidance is ready, and the user asked to be emailed: a link to the portal, never a password. */
export function guidanceReadyMail(to: Recipient, company: string, portalUrl: string): Mail {
  const t = translatorFor(to.locale, 'emails.guidanceReady');
  return compose(to, {
    kind: 'guidance_ready',
    subject: t('subject', { company }),
    paragraphs: [t('body', { company })],
    action: { label: t('action'), url: `${portalUrl}/guidance` },
    after: [t('why')],
  });
}
