import { describe, expect, it } from 'vitest';
import { ACTION_BODY_LIMIT, formPostRefusal, refusalResponse } from './form-gate';

const options = { appUrl: 'https://portal.example.com', trustedProxyHops: 0 };
const post = (headers: Record<string, string>, url = '/login') => ({ method: 'POST', url, headers: { host: '127.0.0.1:3000', 'content-length': '120', ...headers } });

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
    const page = refusalResponse(refusal, 'text/html,application/xhtml+xml');
    expect(page.headers['Content-Type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<h1>This form was not accepted</h1>');
    expect(page.body).toContain('Open Guidepost yourself and try again.');
    expect(JSON.parse(refusalResponse(refusal, '*/*').body)).toEqual({ error: 'cross_site', message: refusal.message });
  });
});
