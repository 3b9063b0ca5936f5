// The gate in front of server actions, run by scripts/server.mjs before Next.js reads a byte. A body
// sent to a page (anything outside /api and /sandbox, whose route handlers check their own) can only
// be a server action, posted by the portal's JavaScript or natively by a form. Next.js answers a
// cross-site post or one over its 1 MB limit with a bare 500; the gate answers first, with a 4xx that
// says what happened. This file imports nothing, so Node runs it directly from the server script.
//
// The cross-site rule (isCrossSite) is the one rule for every POST that acts on the user's session: the
// upload route (lib/onboarding/upload.ts) applies it too. Refused: `Sec-Fetch-Site: cross-site` or
// `same-site` (a sibling subdomain is another origin), and an `Origin` that is another host or opaque
// (`null`). Accepted: `same-origin` / `none` (typed by the user), an Origin of this host or APP_URL's
// (X-Forwarded-Host only behind trusted proxies), and requests with neither header: those are not
// browsers, so they cannot ride the user's cookies from another site.

export interface FormRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface GateOptions {
  /** The portal's public origin (APP_URL), also accepted as an Origin. */
  appUrl?: string;
  /** With trusted proxies in front, X-Forwarded-Host names the host the browser used. */
  trustedProxyHops: number;
}

export interface Refusal {
  status: 403 | 411 | 413;
  error: 'cross_site' | 'length_required' | 'payload_too_large';
}

/** The refusal page's words in the visitor's language: messages/<locale>/common.json's `gate`, passed in by the server. */
export type GateTexts = Record<Refusal['error'] | 'title' | 'heading' | 'back', string>;

export const ACTION_BODY_LIMIT = 1024 * 1024;

const header = (request: Pick<FormRequest, 'headers'>, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** True when a browser sent this request from another site; reads headers only, never the body. */
export function isCrossSite(request: Pick<FormRequest, 'headers'>, options: GateOptions): boolean {
  // Cross-site: the browser says so (Sec-Fetch-Site), or the Origin is another host, or opaque ("null").
  const site = header(request, 'sec-fetch-site')?.toLowerCase();
  const origin = header(request, 'origin');
  const allowed = new Set(
    [header(request, 'host'), hostOf(options.appUrl), options.trustedProxyHops > 0 ? header(request, 'x-forwarded-host') : undefined]
      .filter(Boolean)
      .map((host) => host!.toLowerCase()),
  );
  return site === 'cross-site' || site === 'same-site' || (origin !== undefined && !allowed.has(hostOf(origin) ?? '\0'));
}

/** Why this request must not reach a server action, or undefined when it may. */
export function formPostRefusal(request: FormRequest, options: GateOptions): Refusal | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return undefined;
  if (request.url.startsWith('/api/') || request.url.startsWith('/sandbox/')) return undefined;

  if (isCrossSite(request, options)) {
    return { status: 403, error: 'cross_site' };
  }

  // Browsers always declare the length of a form's body.
  const declared = header(request, 'content-length');
  if (declared === undefined) return { status: 411, error: 'length_required' };
  if (!/^\d+$/.test(declared) || Number(declared) > ACTION_BODY_LIMIT) return { status: 413, error: 'payload_too_large' };
  return undefined;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The refusal as a small HTML page for a browser (a native form post), as JSON otherwise, in the visitor's language. */
export function refusalResponse(
  refusal: Refusal,
  accept: string | undefined,
  { locale, texts }: { locale: string; texts: GateTexts },
): { headers: Record<string, string>; body: string } {
  const message = texts[refusal.error];
  if (accept?.includes('text/html')) {
    const body = `<!doctype html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(texts.title)} · Guidepost</title></head>
<body><main><h1>${escapeHtml(texts.heading)}</h1><p>${escapeHtml(message)}</p><p><a href="/">${escapeHtml(texts.back)}</a></p></main></body></html>
`;
    return {
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        'X-Content-Type-Options': 'nosniff',
      },
      body,
    };
  }
  return {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify({ error: refusal.error, message }),
  };
}
