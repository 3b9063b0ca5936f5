import { randomBytes } from 'node:crypto';

// The Content-Security-Policy of every HTML page. Scripts run only with this response's nonce (Next.js
// puts it on its own scripts, read from the request's CSP header) or when loaded by such a script
// ('strict-dynamic'); nothing else can run, be framed, post a form elsewhere or rebase URLs.

/** A fresh nonce for one response: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(nonce: string, options: { development: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' only for Next.js's development overlay; never in a production build.
    `script-src 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Style attributes only (no <style> element, no script): Headless UI positions and hides its helper
    // elements with them. They cannot run code.
    "style-src-attr 'unsafe-inline'",
    // blob: for the preview of a chosen file (or of a photo taken with the camera) before it is uploaded. The
    // camera's stream reaches its <video> through srcObject, which is no URL: media-src needs nothing more.
    "img-src 'self' blob: data:",
    "font-src 'self'",
    // blob: for the chosen file's preview, which the browser reads back.
    "connect-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/**
 * For HTML that is not ours to put a nonce in (next-auth's own pages): no script at all, inline styles
 * only, forms to this origin only.
 */
export function scriptlessPolicy(): string {
  return `default-src 'none'; script-src 'nonce-${newNonce()}' 'strict-dynamic'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`;
}

/** The response with `policy` as its CSP when it is an HTML page; anything else unchanged. */
export function withPagePolicy(response: Response, policy: () => string): Response {
  if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', policy());
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** HSTS for a portal served over https: a year, subdomains included. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';
