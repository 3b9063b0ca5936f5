import { randomBytes } from 'node:crypto';
import { decodeSegment } from '../kit/router';
import { sameSecret } from './credentials';
import type { GuidanceSession } from './guidance-store';
import { guidanceIndicators } from './indicators';
import { consentPage, guidancePage, loaderPage, messagePage, passwordPage } from './site-html';
import { siteLanguageOf, siteTranslator, type SiteLanguage } from './site-language';
import { SITE_PUBLIC_BASE, sitePath, type SiteStep } from './site-paths';
import type { BridgeState } from './state';
import type { GuidanceReadyEvent, WebhookDelivery } from './webhooks';

// The guidance site a user opens from the session's url: password → consent (once per company) →
// loader (first guidance only) → guidance. Browsers carry no app credentials, so the sandbox routes
// these paths before checking them; access is the password, then an HttpOnly cookie. Each page speaks the
// session's language, else the browser's (siteLanguageOf).

export const SITE_ACCESS_COOKIE = 'bridge_guidance_access';
// The loader moves on after about a second; the real one can take up to an hour.
const LOADER_REFRESH_SECONDS = 1;

export interface SiteDependencies {
  state: BridgeState;
  /** Marks the access cookie Secure (when the site's public origin is https). */
  secureCookie: () => boolean;
  sendGuidanceReadyWebhook(event: GuidanceReadyEvent): Promise<WebhookDelivery>;
}

export function isGuidanceSitePath(pathname: string): boolean {
  return pathname === '/guidance' || pathname.startsWith('/guidance/');
}

type Page = 'entry' | SiteStep;

const SESSION_PATH = /^\/guidance\/session\/([^/]+)(?:\/(consent|loader|guidance|webhook))?$/;
const METHODS: Record<Page, readonly string[]> = {
  entry: ['GET', 'POST'],
  consent: ['GET', 'POST'],
  loader: ['GET'],
  guidance: ['GET'],
  webhook: ['POST'],
};

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

// Inline CSS is all a page needs and no script runs (the nonce is fresh and used by nothing); forms post
// only to this origin; nothing may frame it.
function sitePolicy(): string {
  const nonce = randomBytes(16).toString('base64');
  return `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'; style-src 'unsafe-inline'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
}

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...HTML_HEADERS, 'Content-Security-Policy': sitePolicy(), ...headers } });
}

function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store', ...headers } });
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

async function readFormField(request: Request, name: string): Promise<string | undefined> {
  try {
    const value = (await request.formData()).get(name);
    return typeof value === 'string' ? value : undefined;
  } catch {
    // Not a form: treated as no password at all.
    return undefined;
  }
}

function webhookMessage(delivery: WebhookDelivery, language: SiteLanguage): string {
  const t = siteTranslator(language);
  if (delivery.delivered) return t('webhook.sent');
  if (delivery.status !== null) return t('webhook.refused', { status: String(delivery.status) });
  return delivery.error === 'timeout' ? t('webhook.timeout') : t('webhook.unreachable');
}

/** A page that only says why nothing else can be shown. */
function errorPage(status: number, language: SiteLanguage, error: 'notFound' | 'notAllowed' | 'expired', headers: Record<string, string> = {}): Response {
  const t = siteTranslator(language);
  return html(status, messagePage({ language, heading: t(`errors.${error}.heading`), message: t(`errors.${error}.message`) }), headers);
}

/** Answers a guidance site request; `url.pathname` is the sandbox's own (/guidance/session/{id}/…). */
export async function handleGuidanceSite(request: Request, url: URL, dependencies: SiteDependencies): Promise<Response> {
  const { state } = dependencies;
  const match = SESSION_PATH.exec(url.pathname);
  if (!match?.[1]) return errorPage(404, siteLanguageOf(request), 'notFound');
  const page: Page = (match[2] as SiteStep | undefined) ?? 'entry';
  const session = state.guidance.findSession(decodeSegment(match[1]));
  const language = siteLanguageOf(request, session);
  if (!METHODS[page].includes(request.method)) return errorPage(405, language, 'notAllowed', { Allow: METHODS[page].join(', ') });
  if (!session) return errorPage(404, language, 'notFound');
  if (state.now() >= session.expiresAt) return errorPage(410, language, 'expired');

  // Where this user goes next: consent once per company, the loader only before the first guidance.
  const nextStep = (current: GuidanceSession): SiteStep =>
    !state.guidance.hasConsent(current) ? 'consent' : !state.guidance.isGenerated(current) ? 'loader' : 'guidance';
  const token = readCookie(request, SITE_ACCESS_COOKIE);
  const hasAccess = state.guidance.hasSiteAccess(token, session.id);

  if (page === 'entry') {
    if (request.method === 'GET') {
      return hasAccess
        ? seeOther(sitePath(session.id, nextStep(session)))
        : html(200, passwordPage({ language, action: sitePath(session.id), invalid: false }));
    }
    const password = await readFormField(request, 'password');
    if (password === undefined || !sameSecret(password, session.password)) {
      return html(401, passwordPage({ language, action: sitePath(session.id), invalid: true }));
    }
    const granted = state.guidance.grantSiteAccess(session.id, token);
    const cookie = `${SITE_ACCESS_COOKIE}=${granted}; Path=${SITE_PUBLIC_BASE}; HttpOnly; SameSite=Lax${dependencies.secureCookie() ? '; Secure' : ''}`;
    return seeOther(sitePath(session.id, nextStep(session)), { 'Set-Cookie': cookie });
  }

  if (!hasAccess) return seeOther(sitePath(session.id));
  const next = nextStep(session);

  switch (page) {
    case 'consent':
      if (next !== 'consent') return seeOther(sitePath(session.id, next));
      if (request.method === 'POST') {
        state.guidance.giveConsent(session);
        return seeOther(sitePath(session.id, nextStep(session)));
      }
      return html(200, consentPage({ language, action: sitePath(session.id, 'consent'), companyIdentificationNumber: session.companyIdentificationNumber }));
    case 'loader': {
      if (next !== 'loader') return seeOther(sitePath(session.id, next));
      // The sandbox "generates" the guidance while the loader shows.
      state.guidance.markGenerated(session);
      const target = sitePath(session.id, 'guidance');
      // A Refresh header rather than <meta http-equiv="refresh">: browsers treat both alike, and axe
      // reports a timed meta refresh as a critical violation.
      return html(200, loaderPage({ language, next: target }), { Refresh: `${LOADER_REFRESH_SECONDS}; url=${target}` });
    }
    case 'guidance':
    case 'webhook': {
      if (next !== 'guidance') return seeOther(sitePath(session.id, next));
      const delivery =
        page === 'webhook'
          ? await dependencies.sendGuidanceReadyWebhook({ userUuid: session.userUuid, companyIdentificationNumber: session.companyIdentificationNumber })
          : undefined;
      return html(
        200,
        guidancePage({
          language,
          companyIdentificationNumber: session.companyIdentificationNumber,
          indicators: guidanceIndicators(session.companyIdentificationNumber),
          webhookAction: sitePath(session.id, 'webhook'),
          webhookMessage: delivery && webhookMessage(delivery, language),
        }),
      );
    }
  }
}
