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
    const pages = [
      passwordPage({ action: `/x${HOSTILE}`, invalid: true }),
      consentPage({ action: `/x${HOSTILE}`, companyIdentificationNumber: HOSTILE }),
      loaderPage({ next: `/x${HOSTILE}` }),
      guidancePage({
        companyIdentificationNumber: HOSTILE,
        indicators: guidanceIndicators(SIREN),
        webhookAction: `/x${HOSTILE}`,
        webhookMessage: HOSTILE,
      }),
      messagePage({ heading: HOSTILE, message: HOSTILE }),
    ];
    for (const html of pages) {
      expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('keeps the inline style sheet as CSS (quotes and child combinators intact) and runs no script', () => {
    const html = messagePage({ heading: 'Session not found', message: 'Open the link again.' });
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
