import type { GuidanceIndicators } from './indicators';

// The guidance site's pages: plain HTML, one <h1> inside <main>, inline CSS only, colours at AA contrast or better.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #eef1f5; }
main { max-width: 36rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: .5rem; box-shadow: 0 1px 3px rgb(0 0 0 / .2); }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; }
.brand { margin: 0 0 .5rem; color: #3d4652; font-size: .875rem; letter-spacing: .03em; text-transform: uppercase; }
.note { color: #3d4652; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: .5rem .75rem; border: 1px solid #5a6472; border-radius: .25rem; }
input[aria-invalid="true"] { border: 2px solid #a4161a; }
.error { color: #a4161a; font-weight: 600; margin: .35rem 0 0; }
button { font: inherit; margin-top: 1rem; padding: .6rem 1.2rem; color: #fff; background: #0b4f8a; border: 0; border-radius: .25rem; cursor: pointer; }
button:hover { background: #083b67; }
a { color: #0b4f8a; }
:focus-visible { outline: 3px solid #0b4f8a; outline-offset: 2px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1.5rem; margin: 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.status { margin: .75rem 0 0; font-weight: 600; }
`;

/** A whole document; `main` is trusted HTML built by the functions below. */
function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Bridge guidance (sandbox)</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="brand">Bridge guidance · sandbox</p>
${main}
</main>
</body>
</html>
`;
}

export function passwordPage(options: { action: string; invalid: boolean }): string {
  const error = options.invalid ? '\n<p id="password-error" class="error">This password is not valid.</p>' : '';
  const invalidAttributes = options.invalid ? ' aria-invalid="true" aria-describedby="password-error"' : '';
  return page(
    'Access your guidance',
    `<h1>Access your guidance</h1>
<p>Enter the password shown in your portal next to this link.</p>
<form method="post" action="${escapeHtml(options.action)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="off" spellcheck="false" required${invalidAttributes}>${error}
<button type="submit">Access my guidance</button>
</form>`,
  );
}

export function consentPage(options: { action: string; companyIdentificationNumber: string }): string {
  const company = escapeHtml(options.companyIdentificationNumber);
  return page(
    'Your consent',
    `<h1>Your consent</h1>
<p>Do you consent to Bridge analysing the bank accounts of company ${company} to prepare your financial guidance?</p>
<p class="note">You are asked only once for this company.</p>
<form method="post" action="${escapeHtml(options.action)}">
<button type="submit">I consent</button>
</form>`,
  );
}

export function loaderPage(options: { next: string }): string {
  return page(
    'Preparing your guidance',
    `<h1>Preparing your guidance…</h1>
<p role="status">This takes a few seconds. The page moves on by itself when your guidance is ready.</p>
<p><a href="${escapeHtml(options.next)}">Show my guidance now</a></p>`,
  );
}

/** 12345.67 → 12,345.67, on the decimal string itself. */
function formatAmount(amount: string): string {
  const [whole = '0', fraction = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

export function guidancePage(options: {
  companyIdentificationNumber: string;
  indicators: GuidanceIndicators;
  webhookAction: string;
  /** The outcome of "Send a guidance-ready webhook", once pressed. */
  webhookMessage?: string;
}): string {
  const { indicators } = options;
  const rows: [string, string][] = [
    ['Health score', `${indicators.healthScore} / 100`],
    ['Cash runway', `${indicators.cashRunwayMonths} months`],
    ['Monthly burn', `${formatAmount(indicators.monthlyBurn.amount)} ${indicators.monthlyBurn.currency}`],
    ['Cash balance', `${formatAmount(indicators.cashBalance.amount)} ${indicators.cashBalance.currency}`],
    ['Receivables', `${indicators.receivablesDays} days to collect`],
  ];
  return page(
    'Your financial guidance',
    `<h1>Your financial guidance</h1>
<p>Company identification number: <strong>${escapeHtml(options.companyIdentificationNumber)}</strong></p>
<h2>Indicators</h2>
<dl>
${rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
<h2>Sandbox tools</h2>
<form method="post" action="${escapeHtml(options.webhookAction)}">
<button type="submit">Send a guidance-ready webhook</button>
</form>
<p class="status" role="status">${escapeHtml(options.webhookMessage ?? '')}</p>`,
  );
}

export function messagePage(options: { heading: string; message: string }): string {
  return page(options.heading, `<h1>${escapeHtml(options.heading)}</h1>\n<p>${escapeHtml(options.message)}</p>`);
}
