import path from 'node:path';
import { Fragment, type ReactElement, type ReactNode } from 'react';
import type { GuidanceIndicators } from './indicators';

// The guidance site's pages: React components rendered to static HTML on the server, with no client
// script. One <h1> inside <main>, inline CSS only, colours at AA contrast or better. React escapes
// every text and attribute value, so nothing here writes HTML by hand.

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

interface StaticRenderer {
  renderToStaticMarkup(element: ReactElement): string;
}

let renderer: StaticRenderer | undefined;

/**
 * react-dom/server, loaded by Node rather than by the bundler. The portal serves the sandbox from a
 * Next.js route handler, which Next.js builds for React Server Components: there `react-dom/server`
 * resolves to a module that throws ("not supported in React Server Components"), and a static import
 * of it is refused at build time. Node's own require resolves the real renderer. The pages use no hooks
 * and no context, so elements made by the bundle's React render the same through it.
 */
function staticRenderer(): StaticRenderer {
  if (!renderer) {
    // Module-relative; the process's directory (the project) where the bundler's import.meta.url is no file URL.
    const base = import.meta.url.startsWith('file:') ? import.meta.url : path.join(process.cwd(), 'package.json');
    renderer = process.getBuiltinModule('node:module').createRequire(base)('react-dom/server') as StaticRenderer;
  }
  return renderer;
}

/** A whole HTML document from a React element. */
export function renderDocument(element: ReactElement): string {
  return `<!doctype html>\n${staticRenderer().renderToStaticMarkup(element)}`;
}

function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en">
      {/* eslint-disable-next-line @next/next/no-head-element -- a whole document the sandbox renders itself, not a Next.js page */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Bridge guidance (sandbox)`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <p className="brand">Bridge guidance · sandbox</p>
          {children}
        </main>
      </body>
    </html>
  );
}

function PasswordPage({ action, invalid }: { action: string; invalid: boolean }) {
  return (
    <Page title="Access your guidance">
      <h1>Access your guidance</h1>
      <p>Enter the password shown in your portal next to this link.</p>
      <form method="post" action={action}>
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? 'password-error' : undefined}
        />
        {invalid && (
          <p id="password-error" className="error">
            This password is not valid.
          </p>
        )}
        <button type="submit">Access my guidance</button>
      </form>
    </Page>
  );
}

function ConsentPage({ action, companyIdentificationNumber }: { action: string; companyIdentificationNumber: string }) {
  return (
    <Page title="Your consent">
      <h1>Your consent</h1>
      <p>{`Do you consent to Bridge analysing the bank accounts of company ${companyIdentificationNumber} to prepare your financial guidance?`}</p>
      <p className="note">You are asked only once for this company.</p>
      <form method="post" action={action}>
        <button type="submit">I consent</button>
      </form>
    </Page>
  );
}

function LoaderPage({ next }: { next: string }) {
  return (
    <Page title="Preparing your guidance">
      <h1>Preparing your guidance…</h1>
      <p role="status">This takes a few seconds. The page moves on by itself when your guidance is ready.</p>
      <p>
        <a href={next}>Show my guidance now</a>
      </p>
    </Page>
  );
}

/** 12345.67 → 12,345.67, on the decimal string itself. */
function formatAmount(amount: string): string {
  const [whole = '0', fraction = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

interface GuidanceOptions {
  companyIdentificationNumber: string;
  indicators: GuidanceIndicators;
  webhookAction: string;
  /** The outcome of "Send a guidance-ready webhook", once pressed. */
  webhookMessage?: string | undefined;
}

function GuidancePage({ companyIdentificationNumber, indicators, webhookAction, webhookMessage }: GuidanceOptions) {
  const rows: [string, string][] = [
    ['Health score', `${indicators.healthScore} / 100`],
    ['Cash runway', `${indicators.cashRunwayMonths} months`],
    ['Monthly burn', `${formatAmount(indicators.monthlyBurn.amount)} ${indicators.monthlyBurn.currency}`],
    ['Cash balance', `${formatAmount(indicators.cashBalance.amount)} ${indicators.cashBalance.currency}`],
    ['Receivables', `${indicators.receivablesDays} days to collect`],
  ];
  return (
    <Page title="Your financial guidance">
      <h1>Your financial guidance</h1>
      <p>
        Company identification number: <strong>{companyIdentificationNumber}</strong>
      </p>
      <h2>Indicators</h2>
      <dl>
        {rows.map(([term, value]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <h2>Sandbox tools</h2>
      <form method="post" action={webhookAction}>
        <button type="submit">Send a guidance-ready webhook</button>
      </form>
      <p className="status" role="status">
        {webhookMessage ?? ''}
      </p>
    </Page>
  );
}

function MessagePage({ heading, message }: { heading: string; message: string }) {
  return (
    <Page title={heading}>
      <h1>{heading}</h1>
      <p>{message}</p>
    </Page>
  );
}

export const passwordPage = (options: { action: string; invalid: boolean }): string => renderDocument(<PasswordPage {...options} />);
export const consentPage = (options: { action: string; companyIdentificationNumber: string }): string => renderDocument(<ConsentPage {...options} />);
export const loaderPage = (options: { next: string }): string => renderDocument(<LoaderPage {...options} />);
export const guidancePage = (options: GuidanceOptions): string => renderDocument(<GuidancePage {...options} />);
export const messagePage = (options: { heading: string; message: string }): string => renderDocument(<MessagePage {...options} />);
