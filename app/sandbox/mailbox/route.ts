import { escapeHtml } from '@/lib/http/escape-html';
import { getEnv } from '@/lib/env';
import { isLoopbackRequest } from '@/lib/http/client-address';
import { formatDateTimeSeconds } from '@/lib/i18n/format';
import { serverLocale } from '@/lib/i18n/request-locale';
import { translatorFor } from '@/lib/i18n/server';
import { devMailbox } from '@/lib/mail/dev-mailbox';

export const dynamic = 'force-dynamic';

// The development mailbox (lib/mail/dev-mailbox.ts): the emails of the embedded default, for the demo and for
// whoever runs Guidepost on their machine. It holds reset links, so it answers this machine only, and only when no
// SMTP server is configured (never in a deployment, which must configure one). Plain HTML, no script.

/** The text part, escaped, with its links clickable. */
const linked = (text: string) => escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  if (env.mail.smtpUrl || env.deploymentReasons.length > 0 || !isLoopbackRequest(request.headers)) {
    return Response.json({ error: 'not_found' }, { status: 404 });
  }
  const locale = await serverLocale();
  const t = translatorFor(locale, 'emails.mailbox');
  const messages = devMailbox()
    .map(
      (mail) => `<article>
<h2>${escapeHtml(mail.subject)}</h2>
<p class="meta">${t('to')} ${escapeHtml(mail.to)} · ${t('received')} <time datetime="${mail.receivedAt}">${escapeHtml(formatDateTimeSeconds(new Date(mail.receivedAt), { locale, timeZone: null }))}</time></p>
<pre aria-label="${escapeHtml(t('textPart'))}">${linked(mail.text)}</pre>
</article>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t('title'))} · Guidepost</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#0f172a;background:#fff}article{border:1px solid #94a3b8;border-radius:.5rem;padding:1rem;margin:1rem 0}pre{white-space:pre-wrap;font-size:.9rem}.meta{color:#334155;font-size:.9rem}a{color:#1e40af}</style>
</head><body><main><h1>${escapeHtml(t('title'))}</h1><p>${escapeHtml(t('intro'))}</p>
${messages || `<p>${escapeHtml(t('empty'))}</p>`}
</main></body></html>`;
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
    },
  });
}
