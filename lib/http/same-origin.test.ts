import { describe, expect, it } from 'vitest';
import { isCrossSiteRequest } from './same-origin';

const OWN = { host: 'portal.example:3000' };
const check = (headers: Record<string, string>, publicOrigin?: string) => isCrossSiteRequest(new Headers({ ...OWN, ...headers }), { publicOrigin });

describe('isCrossSiteRequest', () => {
  it('lets the site’s own pages through', () => {
    expect(check({ 'sec-fetch-site': 'same-origin', origin: 'http://portal.example:3000' })).toBe(false);
    expect(check({ origin: 'http://portal.example:3000' })).toBe(false);
    expect(check({ 'sec-fetch-site': 'same-origin' })).toBe(false);
    // Typed by the user or a bookmark.
    expect(check({ 'sec-fetch-site': 'none' })).toBe(false);
  });

  it('refuses a browser request from another site, by either header', () => {
    expect(check({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toBe(true);
    expect(check({ origin: 'https://evil.example' })).toBe(true);
    expect(check({ 'sec-fetch-site': 'cross-site' })).toBe(true);
    // A sibling subdomain is another origin.
    expect(check({ 'sec-fetch-site': 'same-site', origin: 'http://uploads.portal.example:3000' })).toBe(true);
    // Another port is another origin.
    expect(check({ origin: 'http://portal.example:4000' })).toBe(true);
    // Headers that disagree are not trusted.
    expect(check({ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' })).toBe(true);
    expect(check({ 'sec-fetch-site': 'cross-site', origin: 'http://portal.example:3000' })).toBe(true);
  });

  it('refuses an opaque or unreadable Origin', () => {
    expect(check({ origin: 'null' })).toBe(true);
    expect(check({ origin: 'not a url' })).toBe(true);
  });

  it('lets a client without either header through (not a browser: it carries no one else’s cookies)', () => {
    expect(check({})).toBe(false);
  });

  it('accepts the public origin and the forwarded host behind a proxy', () => {
    const behindProxy = { host: '10.0.0.5:3000' };
    expect(isCrossSiteRequest(new Headers({ ...behindProxy, origin: 'https://app.example.com' }), { publicOrigin: 'https://app.example.com' })).toBe(false);
    expect(isCrossSiteRequest(new Headers({ ...behindProxy, 'x-forwarded-host': 'app.example.com', origin: 'https://app.example.com' }))).toBe(false);
    expect(isCrossSiteRequest(new Headers({ ...behindProxy, origin: 'https://app.example.com' }))).toBe(true);
  });
});
