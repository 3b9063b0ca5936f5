// The guidance site is served by the sandbox under /guidance/…, which lib/sandbox/mount.ts publishes
// under /sandbox/bridge. Links, redirects and the cookie path need the public path.
export const SITE_PUBLIC_BASE = '/sandbox/bridge/guidance';

export type SiteStep = 'consent' | 'loader' | 'guidance' | 'webhook';

/** The public path of a session's page: the entry (password) page, or one of its steps. */
export function sitePath(sessionId: string, step?: SiteStep): string {
  const base = `${SITE_PUBLIC_BASE}/session/${encodeURIComponent(sessionId)}`;
  return step ? `${base}/${step}` : base;
}

/** The url a guidance session answers with: the sandbox site on the portal's public origin. */
export function guidanceSiteUrl(siteOrigin: string, sessionId: string): string {
  return `${siteOrigin.replace(/\/+$/, '')}${sitePath(sessionId)}`;
}
