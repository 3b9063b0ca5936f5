// Route handlers that act on the user's session with a POST (uploads) refuse cross-site requests, as
// Next.js does for server actions: a page on another site could otherwise make the user's browser send
// a file into their onboarding with their cookies.
//
// The rule, in order:
// - `Sec-Fetch-Site` (sent by every current browser): only `same-origin` and `none` (typed by the user)
//   pass; `cross-site` and `same-site` (a sibling subdomain is another origin) are refused.
// - `Origin` (sent by browsers on every POST): must be this site, i.e. its host is the request's own
//   host (`X-Forwarded-Host` first, as Next.js checks actions) or it is the configured public origin.
//   `Origin: null` (a sandboxed frame, a privacy redirect) is refused.
// - Neither header: a client that is not a browser (curl, a test). It passes: it cannot carry the user's
//   cookies from another site, so it can only act with credentials it already holds.

export interface SiteCheck {
  /** The site's public origin (APP_URL), also accepted in `Origin`. */
  publicOrigin?: string;
}

/** True when a browser sent this request from another site. Reads headers only, never the body. */
export function isCrossSiteRequest(headers: Headers, check: SiteCheck = {}): boolean {
  const fetchSite = headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;

  const origin = headers.get('origin')?.trim();
  if (origin === undefined) return false;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return true; // "null" or garbage: not this site
  }
  if (check.publicOrigin !== undefined && safeOrigin(check.publicOrigin) === originUrl.origin) return false;
  const ownHost = (headers.get('x-forwarded-host') ?? headers.get('host'))?.split(',')[0]?.trim().toLowerCase();
  return !ownHost || originUrl.host.toLowerCase() !== ownHost;
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
