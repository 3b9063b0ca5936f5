import { describe, expect, it } from 'vitest';
import en from '@/messages/en/common.json';
import fr from '@/messages/fr/common.json';
import { ACTION_BODY_LIMIT, formPostRefusal, isCrossSite, refusalResponse } from './form-gate';

const options = { appUrl: 'https://portal.example.com', trustedProxyHops: 0 };
const post = (headers: Record<string, string>, url = '/login') => ({
  method: 'POST',
  url,
  headers: { host: '127.0.0.1:3000', 'content-length': '120', ...headers },
});

describe('the gate before server actions', () => {
  it('lets a same-origin form post through, by Origin or Sec-Fetch-Site', () => {
    expect(formPostRefusal(post({ origin: 'http://127.0.0.1:3000' }), options)).toBeUndefined();
    expect(formPostRefusal(post({ origin: 'https://portal.example.com', 'sec-fetch-site': 'same-origin' }), options)).toBeUndefined();
    // No browser headers at all: not a browser, so no cookies ridden across sites.
    expect(formPostRefusal(post({}), options)).toBeUndefined();
  });

  it('refuses a cross-site post with 403, whichever header gives it away', () => {
    const attacks: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'https://other.example.com' },
      { origin: 'http://127.0.0.1:3001' },
    ];
    for (const headers of attacks) {
      expect(formPostRefusal(post(headers), options)).toMatchObject({ status: 403, error: 'cross_site' });
    }
  });

  it('trusts X-Forwarded-Host only behind trusted proxies', () => {
    const behindProxy = post({ origin: 'https://alias.example.com', 'x-forwarded-host': 'alias.example.com' });
    expect(formPostRefusal(behindProxy, options)).toMatchObject({ status: 403 });
    expect(formPostRefusal(behindProxy, { ...options, trustedProxyHops: 1 })).toBeUndefined();
  });

  it('wants a declared length, at most 1 MB', () => {
    expect(formPostRefusal({ method: 'POST', url: '/login', headers: { host: 'h' } }, options)).toMatchObject({ status: 411 });
    expect(formPostRefusal(post({ 'content-length': String(ACTION_BODY_LIMIT + 1) }), options)).toMatchObject({ status: 413 });
    expect(formPostRefusal(post({ 'content-length': String(ACTION_BODY_LIMIT) }), options)).toBeUndefined();
  });

  it('leaves reads, route handlers and the sandbox to their own checks', () => {
    expect(formPostRefusal({ method: 'GET', url: '/login', headers: { origin: 'https://evil.example' } }, options)).toBeUndefined();
    expect(formPostRefusal(post({ origin: 'https://evil.example' }, '/api/webhooks/bridge'), options)).toBeUndefined();
    expect(formPostRefusal(post({ origin: 'https://evil.example' }, '/sandbox/bridge/guidance/session/x'), options)).toBeUndefined();
  });

  it('answers a browser with a page that says what to do, anything else with JSON', () => {
    const refusal = formPostRefusal(post({ origin: 'https://evil.example' }), options)!;
    const english = { locale: 'en', texts: en.gate };
    const page = refusalResponse(refusal, 'text/html,application/xhtml+xml', english);
    expect(page.headers['Content-Type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('<h1>This form was not accepted</h1>');
    expect(page.body).toContain('Open Guidepost yourself and try again.');
    expect(JSON.parse(refusalResponse(refusal, '*/*', english).body)).toEqual({ error: 'cross_site', message: en.gate.cross_site });
    // A French visitor reads it in French.
    const french = refusalResponse(refusal, 'text/html', { locale: 'fr', texts: fr.gate });
    expect(french.body).toContain('<html lang="fr">');
    expect(french.body).toContain('Ouvrez Guidepost vous-même et réessayez.');
  });
});

// The same rule guards the upload route (a route handler, which the gate lets through to check itself).
describe('isCrossSite, the rule the upload route applies', () => {
  const own = { host: 'portal.example:3000' };
  const cross = (headers: Record<string, string>, proxies = options) => isCrossSite({ headers: { ...own, ...headers } }, proxies);

  it('lets the site’s own pages through, and a request the user typed', () => {
    expect(cross({ 'sec-fetch-site': 'same-origin', origin: 'http://portal.example:3000' })).toBe(false);
    expect(cross({ origin: 'http://portal.example:3000' })).toBe(false);
    expect(cross({ 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(cross({ 'sec-fetch-site': 'none' })).toBe(false);
    expect(cross({ origin: 'https://portal.example.com' })).toBe(false); // APP_URL
  });

  it('refuses another site by either header, and headers that disagree', () => {
    expect(cross({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toBe(true);
    expect(cross({ origin: 'https://evil.example' })).toBe(true);
    expect(cross({ 'sec-fetch-site': 'Cross-Site' })).toBe(true);
    expect(cross({ 'sec-fetch-site': 'same-site', origin: 'http://uploads.portal.example:3000' })).toBe(true);
    expect(cross({ origin: 'http://portal.example:4000' })).toBe(true);
    expect(cross({ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' })).toBe(true);
    expect(cross({ 'sec-fetch-site': 'cross-site', origin: 'http://portal.example:3000' })).toBe(true);
    expect(cross({ origin: 'null' })).toBe(true);
    expect(cross({ origin: 'not a url' })).toBe(true);
  });

  it('lets a client without either header through: not a browser, so no one else’s cookies', () => {
    expect(cross({})).toBe(false);
  });

  it('believes X-Forwarded-Host only behind trusted proxies', () => {
    const forwarded = { origin: 'https://alias.example.com', 'x-forwarded-host': 'alias.example.com' };
    expect(cross(forwarded)).toBe(true);
    expect(cross(forwarded, { ...options, trustedProxyHops: 1 })).toBe(false);
  });
});
