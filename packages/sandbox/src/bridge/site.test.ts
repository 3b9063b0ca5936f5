import { createRequire } from 'node:module';
import path from 'node:path';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { guidanceIndicators } from './indicators';
import { consentPage, guidancePage, loaderPage, messagePage, passwordPage, renderDocument } from './site-html';
import { bridgeRequest, cookieFrom, newGuidanceSession, SIREN, siteRequest, testSandbox, userWithToken } from './testing';

type Sandbox = ReturnType<typeof testSandbox>['sandbox'];
const EIGHT_HOURS = 8 * 60 * 60 * 1000;

async function enter(sandbox: Sandbox, url: string, password: string): Promise<Response> {
  return sandbox.handle(siteRequest(url, { form: { password } }));
}

/** Follows the site from the password to the guidance page, checking each step; returns the cookie. */
async function walkToGuidance(sandbox: Sandbox, session: { url: string; password: string }): Promise<string> {
  const entered = await enter(sandbox, session.url, session.password);
  expect(entered.status).toBe(303);
  const cookie = cookieFrom(entered);
  const consentPath = `${new URL(session.url).pathname}/consent`;
  expect(entered.headers.get('location')).toBe(consentPath);
  const consent = await sandbox.handle(siteRequest(consentPath, { cookie }));
  expect(consent.status).toBe(200);
  const consented = await sandbox.handle(siteRequest(consentPath, { cookie, form: {} }));
  expect(consented.status).toBe(303);
  const loaderPath = consented.headers.get('location') ?? '';
  expect(loaderPath).toBe(`${new URL(session.url).pathname}/loader`);
  const loader = await sandbox.handle(siteRequest(loaderPath, { cookie }));
  expect(loader.status).toBe(200);
  const guidance = await sandbox.handle(siteRequest(`${new URL(session.url).pathname}/guidance`, { cookie }));
  expect(guidance.status).toBe(200);
  return cookie;
}

describe('Bridge sandbox: guidance site', () => {
  it('serves the password page without app headers, as HTML with a labelled field and the button', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    const response = await sandbox.handle(siteRequest(session.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html).toContain('<main>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('id="password"');
    expect(html).toContain('>Access my guidance</button>');
    expect(html).not.toMatch(/<input[^>]*aria-invalid/);
    expect(html).not.toContain(session.password);
    // The site does not reveal whose session it is before the password.
    expect(html).not.toContain(SIREN);
  });

  it('answers a wrong password with 401 and the error tied to the field', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    for (const password of ['wrong-password', '', session.password.toLowerCase()]) {
      const response = await enter(sandbox, session.url, password);
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      const html = await response.text();
      expect(html).toContain('This password is not valid.');
      const input = /<input[^>]*\bid="password"[^>]*>/.exec(html)?.[0] ?? '';
      expect(input).toContain(' aria-invalid="true"');
      expect(input).toContain(' aria-describedby="password-error"');
      expect(html).toContain('id="password-error"');
    }
  });

  it('takes the right password to consent, then the loader, then the guidance page', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    const base = new URL(session.url).pathname;

    const entered = await enter(sandbox, session.url, session.password);
    expect(entered.status).toBe(303);
    expect(entered.headers.get('location')).toBe(`${base}/consent`);
    const cookie = cookieFrom(entered);

    const consent = await sandbox.handle(siteRequest(`${base}/consent`, { cookie }));
    const consentHtml = await consent.text();
    expect(consentHtml).toContain('Do you consent to');
    expect(consentHtml).toContain(SIREN);
    expect(consentHtml).toContain('>I consent</button>');
    expect(consentHtml).toContain(`action="${base}/consent"`);

    const consented = await sandbox.handle(siteRequest(`${base}/consent`, { cookie, form: {} }));
    expect(consented.status).toBe(303);
    expect(consented.headers.get('location')).toBe(`${base}/loader`);

    const loader = await sandbox.handle(siteRequest(`${base}/loader`, { cookie }));
    expect(loader.status).toBe(200);
    expect(await loader.text()).toContain('Preparing your guidance…');
    // Moves on to the guidance page after about a second.
    expect(loader.headers.get('refresh')).toBe(`1; url=${base}/guidance`);

    const guidance = await sandbox.handle(siteRequest(`${base}/guidance`, { cookie }));
    expect(guidance.status).toBe(200);
    const html = await guidance.text();
    expect(html).toContain('<h1>Your financial guidance</h1>');
    expect(html).toContain(SIREN);
    const indicators = guidanceIndicators(SIREN);
    expect(html).toContain(`${indicators.healthScore} / 100`);
    expect(html).toContain(`${indicators.cashRunwayMonths} months`);
    expect(html).toContain('>Send a guidance-ready webhook</button>');

    // Opening the session's link again goes straight to the guidance.
    const again = await sandbox.handle(siteRequest(session.url, { cookie }));
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${base}/guidance`);
  });

  it('keeps access with an HttpOnly cookie on /sandbox/bridge/guidance that is not the password', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    const entered = await enter(sandbox, session.url, session.password);
    const header = entered.headers.get('set-cookie') ?? '';
    const attributes = header.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('path=/sandbox/bridge/guidance');
    expect(attributes).toContain('samesite=lax');
    // The test site origin is https.
    expect(attributes).toContain('secure');
    const value = cookieFrom(entered).split('=')[1] ?? '';
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(header).not.toContain(session.password);
    expect(header).not.toContain(encodeURIComponent(session.password));
  });

  it('leaves the cookie off Secure when the site is served over http', async () => {
    const { sandbox } = testSandbox({ siteOrigin: 'http://localhost:3000' });
    const session = await newGuidanceSession(sandbox);
    expect(session.url.startsWith('http://localhost:3000/sandbox/bridge/guidance/session/')).toBe(true);
    const header = (await enter(sandbox, session.url, session.password)).headers.get('set-cookie') ?? '';
    expect(header.toLowerCase()).not.toContain('secure');
  });

  it('skips consent and the loader for a second session on the same company', async () => {
    const { sandbox } = testSandbox();
    const { user, token } = await userWithToken(sandbox);
    await walkToGuidance(sandbox, await newGuidanceSession(sandbox, { user, token }));

    const second = await newGuidanceSession(sandbox, { user, token });
    const entered = await enter(sandbox, second.url, second.password);
    expect(entered.status).toBe(303);
    expect(entered.headers.get('location')).toBe(`${new URL(second.url).pathname}/guidance`);
    const consent = await sandbox.handle(siteRequest(`${new URL(second.url).pathname}/consent`, { cookie: cookieFrom(entered) }));
    expect(consent.status).toBe(303);
  });

  it('asks consent again for another company', async () => {
    const { sandbox } = testSandbox();
    const { user, token } = await userWithToken(sandbox);
    await walkToGuidance(sandbox, await newGuidanceSession(sandbox, { user, token }));
    const other = await newGuidanceSession(sandbox, { user, token, company: '552100554' });
    const entered = await enter(sandbox, other.url, other.password);
    expect(entered.headers.get('location')).toBe(`${new URL(other.url).pathname}/consent`);
  });

  it('sends the browser back to the password page without the cookie, or with another session’s cookie', async () => {
    const { sandbox } = testSandbox();
    const first = await newGuidanceSession(sandbox);
    const second = await newGuidanceSession(sandbox);
    const cookie = cookieFrom(await enter(sandbox, first.url, first.password));
    const secondBase = new URL(second.url).pathname;
    for (const step of ['consent', 'loader', 'guidance']) {
      const response = await sandbox.handle(siteRequest(`${secondBase}/${step}`, { cookie }));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(secondBase);
    }
    const withoutCookie = await sandbox.handle(siteRequest(`${new URL(first.url).pathname}/guidance`));
    expect(withoutCookie.headers.get('location')).toBe(new URL(first.url).pathname);
    const webhook = await sandbox.handle(siteRequest(`${secondBase}/webhook`, { cookie, form: {} }));
    expect(webhook.status).toBe(303);
  });

  it('keeps the access to both sessions when a browser opens a second one', async () => {
    const { sandbox } = testSandbox();
    const first = await newGuidanceSession(sandbox);
    const second = await newGuidanceSession(sandbox);
    const firstCookie = cookieFrom(await enter(sandbox, first.url, first.password));
    const bothCookie = cookieFrom(await sandbox.handle(siteRequest(second.url, { cookie: firstCookie, form: { password: second.password } })));
    expect(bothCookie).not.toBe(firstCookie);
    for (const session of [first, second]) {
      const response = await sandbox.handle(siteRequest(`${new URL(session.url).pathname}/consent`, { cookie: bothCookie }));
      expect(response.status).toBe(200);
    }
    // The replaced token no longer opens anything.
    expect((await sandbox.handle(siteRequest(`${new URL(first.url).pathname}/consent`, { cookie: firstCookie }))).status).toBe(303);
  });

  it('answers 404 pages for an unknown session and unknown site paths', async () => {
    const { sandbox } = testSandbox();
    for (const path of [
      '/sandbox/bridge/guidance/session/00000000-0000-4000-8000-000000000000',
      '/sandbox/bridge/guidance/session/x/consent',
      '/sandbox/bridge/guidance/elsewhere',
    ]) {
      const response = await sandbox.handle(siteRequest(path));
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<h1>');
    }
  });

  it('answers 405 for a method a page does not take', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    const response = await sandbox.handle(siteRequest(`${new URL(session.url).pathname}/guidance`, { form: {} }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('answers 410 once the session is 8 hours old', async () => {
    const { sandbox, clock } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    clock.ms += EIGHT_HOURS;
    expect((await sandbox.handle(siteRequest(session.url))).status).toBe(410);
    expect((await enter(sandbox, session.url, session.password)).status).toBe(410);
  });

  it('forgets a deleted Bridge user’s sessions', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    await sandbox.handle(bridgeRequest(`/v3/aggregation/users/${session.userUuid}`, { method: 'DELETE' }));
    expect((await sandbox.handle(siteRequest(session.url))).status).toBe(404);
  });

  it('sends its pages with a strict CSP and no-store', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    const response = await sandbox.handle(siteRequest(session.url));
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('speaks French from the password to the guidance when the session asks for French, whatever the browser', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox, { language: 'fr' });
    const base = new URL(session.url).pathname;
    const acceptLanguage = 'en-US,en;q=0.9';

    const entry = await (await sandbox.handle(siteRequest(session.url, { acceptLanguage }))).text();
    expect(entry).toContain('<html lang="fr">');
    expect(entry).toContain('<title>Accéder à votre accompagnement · Accompagnement financier Bridge (bac à sable)</title>');
    expect(entry).toContain('<h1>Accéder à votre accompagnement</h1>');
    expect(entry).toContain('<label for="password">Mot de passe</label>');
    expect(entry).toContain('>Accéder à mon accompagnement</button>');
    expect(entry).not.toMatch(/Password|Access/);

    const wrong = await sandbox.handle(siteRequest(session.url, { acceptLanguage, form: { password: 'wrong-password' } }));
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('<p id="password-error" class="error">Ce mot de passe n’est pas valide.</p>');

    const cookie = cookieFrom(await enter(sandbox, session.url, session.password));
    const consent = await (await sandbox.handle(siteRequest(`${base}/consent`, { cookie, acceptLanguage }))).text();
    expect(consent).toContain(
      `Acceptez-vous que Bridge analyse les comptes bancaires de l’entreprise ${SIREN} pour préparer votre accompagnement financier\u00a0?`,
    );
    expect(consent).toContain('>Je donne mon consentement</button>');
    await sandbox.handle(siteRequest(`${base}/consent`, { cookie, form: {} }));
    const loader = await (await sandbox.handle(siteRequest(`${base}/loader`, { cookie, acceptLanguage }))).text();
    expect(loader).toContain('<h1>Préparation de votre accompagnement…</h1>');
    expect(loader).toContain('>Afficher mon accompagnement maintenant</a>');

    const guidance = await (await sandbox.handle(siteRequest(`${base}/guidance`, { cookie, acceptLanguage }))).text();
    expect(guidance).toContain('<title>Votre accompagnement financier · Accompagnement financier Bridge (bac à sable)</title>');
    expect(guidance).toContain(`Numéro d’identification de l’entreprise\u00a0: <strong>${SIREN}</strong>`);
    const indicators = guidanceIndicators(SIREN);
    expect(guidance).toContain(`<dd>${indicators.healthScore}\u00a0/\u00a0100</dd>`);
    expect(guidance).toContain(`<dd>${indicators.cashRunwayMonths.replace('.', ',')}\u00a0mois</dd>`);
    expect(guidance).toContain(`<dd>encaissées en ${indicators.receivablesDays}\u00a0jours</dd>`);
    // Amounts as a French bank writes them: "12 345,67 €" (narrow no-break spaces between thousands).
    expect(guidance.match(/<dd>\d{1,3}(?:\u202f\d{3})*,\d{2}\u00a0€<\/dd>/g)).toHaveLength(2);
    expect(guidance).toContain('>Envoyer un webhook «\u00a0accompagnement prêt\u00a0»</button>');
  });

  it('shows English amounts with their currency and English plurals', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox);
    const cookie = await walkToGuidance(sandbox, session);
    const html = await (await sandbox.handle(siteRequest(`${new URL(session.url).pathname}/guidance`, { cookie }))).text();
    const indicators = guidanceIndicators(SIREN);
    expect(html).toContain(`<dd>${indicators.receivablesDays} days to collect</dd>`);
    expect(html.match(/<dd>€\d{1,3}(?:,\d{3})*\.\d{2}<\/dd>/g)).toHaveLength(2);
  });

  it('follows the browser’s languages, page by page, when the session names none, and is French otherwise', async () => {
    const { sandbox } = testSandbox();
    const session = await newGuidanceSession(sandbox, { language: null });
    const langOf = async (acceptLanguage?: string) =>
      /<html lang="([a-z]+)">/.exec(await (await sandbox.handle(siteRequest(session.url, acceptLanguage === undefined ? {} : { acceptLanguage }))).text())?.[1];
    expect(await langOf('en-GB,en;q=0.9,fr;q=0.8')).toBe('en');
    expect(await langOf('de-DE,en;q=0.7,fr;q=0.5')).toBe('en');
    expect(await langOf('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(await langOf('de-DE,de;q=0.9')).toBe('fr');
    expect(await langOf('*')).toBe('fr');
    expect(await langOf()).toBe('fr');
  });

  it('answers its error pages in the session’s language, or the browser’s when there is no session', async () => {
    const { sandbox, clock } = testSandbox();
    const unknown = await sandbox.handle(siteRequest('/sandbox/bridge/guidance/session/00000000-0000-4000-8000-000000000000', { acceptLanguage: 'en' }));
    expect(await unknown.text()).toContain('<h1>Session not found</h1>');
    const inconnue = await sandbox.handle(siteRequest('/sandbox/bridge/guidance/elsewhere', { acceptLanguage: 'fr-FR' }));
    expect(inconnue.status).toBe(404);
    const notFound = await inconnue.text();
    expect(notFound).toContain('<html lang="fr">');
    expect(notFound).toContain('<h1>Session introuvable</h1>');

    const session = await newGuidanceSession(sandbox, { language: 'fr' });
    const notAllowed = await sandbox.handle(siteRequest(`${new URL(session.url).pathname}/guidance`, { acceptLanguage: 'en', form: {} }));
    expect(notAllowed.status).toBe(405);
    expect(await notAllowed.text()).toContain('<h1>Action non autorisée</h1>');
    clock.ms += EIGHT_HOURS;
    const expired = await sandbox.handle(siteRequest(session.url, { acceptLanguage: 'en' }));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Cette session d’accompagnement a expiré. Demandez un nouveau lien à votre portail.');
  });

  it('shows the same indicators for the same company, as decimal strings', () => {
    expect(guidanceIndicators(SIREN)).toEqual(guidanceIndicators(SIREN));
    const indicators = guidanceIndicators('552100554');
    expect(indicators.monthlyBurn).toEqual({ amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'EUR' });
    expect(indicators.cashBalance.amount).toMatch(/^\d+\.\d{2}$/);
    expect(indicators.cashRunwayMonths).toMatch(/^\d+\.\d$/);
    expect(indicators.healthScore).toBeGreaterThanOrEqual(0);
    expect(indicators.healthScore).toBeLessThanOrEqual(100);
    expect(indicators.receivablesDays).toBeGreaterThanOrEqual(15);
  });
});

describe('Bridge sandbox: guidance site pages, rendered by React', () => {
  const HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

  it('escapes every value it is given, in text and in attributes', () => {
    for (const language of ['en', 'fr'] as const) {
      const pages = [
        passwordPage({ language, action: `/x${HOSTILE}`, invalid: true }),
        consentPage({ language, action: `/x${HOSTILE}`, companyIdentificationNumber: HOSTILE }),
        loaderPage({ language, next: `/x${HOSTILE}` }),
        guidancePage({
          language,
          companyIdentificationNumber: HOSTILE,
          indicators: guidanceIndicators(SIREN),
          webhookAction: `/x${HOSTILE}`,
          webhookMessage: HOSTILE,
        }),
        messagePage({ language, heading: HOSTILE, message: HOSTILE }),
      ];
      for (const html of pages) {
        expect(html.startsWith(`<!doctype html>\n<html lang="${language}">`)).toBe(true);
        expect(html).not.toContain('<script');
        expect(html).not.toContain('<img');
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    }
  });

  it('keeps the inline style sheet as CSS (quotes and child combinators intact) and runs no script', () => {
    const html = messagePage({ language: 'en', heading: 'Session not found', message: 'Open the link again.' });
    expect(html).toMatch(/<style>[^<]*font: 1rem\/1\.5 system-ui, -apple-system, "Segoe UI"[^<]*<\/style>/);
    expect(html).toContain('input[aria-invalid="true"]');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    expect(html).toContain('<title>Session not found · Bridge guidance (sandbox)</title>');
  });

  it('renders elements made by React’s server-components build, as the portal’s route handler makes them', () => {
    // In the portal the sandbox is bundled for React Server Components: its JSX comes from React's
    // react-server build, while the renderer is Node's own react-dom/server with the ordinary build.
    // Here the react-server JSX runtime is loaded with its own React, as that condition would resolve it.
    const requireFromHere = createRequire(import.meta.url);
    const reactDir = path.dirname(requireFromHere.resolve('react/package.json'));
    const loader = requireFromHere('node:module') as {
      _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
    };
    const resolve = loader._resolveFilename;
    loader._resolveFilename = (request, parent, ...rest) =>
      request === 'react' && parent?.filename?.includes('react-server') ? path.join(reactDir, 'react.react-server.js') : resolve(request, parent, ...rest);
    let serverRuntime: { jsx: (type: unknown, props: Record<string, unknown>) => ReactElement };
    try {
      serverRuntime = requireFromHere(path.join(reactDir, 'jsx-runtime.react-server.js'));
    } finally {
      loader._resolveFilename = resolve;
    }
    expect(serverRuntime.jsx).not.toBe(requireFromHere('react/jsx-runtime').jsx);
    const Heading = ({ text }: { text: string }) => serverRuntime.jsx('h1', { children: text });
    const element = serverRuntime.jsx('html', { lang: 'en', children: serverRuntime.jsx('body', { children: serverRuntime.jsx(Heading, { text: 'A < B' }) }) });
    const html = renderDocument(element);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<body><h1>A &lt; B</h1></body>');
  });
});
