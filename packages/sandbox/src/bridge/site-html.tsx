import path from 'node:path';
import { Fragment, type ReactElement, type ReactNode } from 'react';
import type { GuidanceIndicators } from './indicators';
import { siteTranslator, type SiteLanguage, type SiteTranslator } from './site-language';

// The guidance site's pages: React components rendered to static HTML on the server, with no client
// script. One <h1> inside <main>, inline CSS only, colours at AA contrast or better. React escapes
// every text and attribute value, so nothing here writes HTML by hand. Every word comes from the
// sandbox's messages (../messages) in the page's language, which <html lang> names.

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

interface PageProps {
  language: SiteLanguage;
  t: SiteTranslator;
}

function Page({ language, t, title, children }: PageProps & { title: string; children: ReactNode }) {
  return (
    <html lang={language}>
      {/* eslint-disable-next-line @next/next/no-head-element -- a whole document the sandbox renders itself, not a Next.js page */}
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('page.title', { page: title })}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <p className="brand">{t('page.brand')}</p>
          {children}
        </main>
      </body>
    </html>
  );
}

function PasswordPage({ action, invalid, ...page }: PageProps & { action: string; invalid: boolean }) {
  const { t } = page;
  return (
    <Page {...page} title={t('password.title')}>
      <h1>{t('password.title')}</h1>
      <p>{t('password.intro')}</p>
      <form method="post" action={action}>
        <label htmlFor="password">{t('password.label')}</label>
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
            {t('password.invalid')}
          </p>
        )}
        <button type="submit">{t('password.submit')}</button>
      </form>
    </Page>
  );
}

function ConsentPage({ action, companyIdentificationNumber, ...page }: PageProps & { action: string; companyIdentificationNumber: string }) {
  const { t } = page;
  return (
    <Page {...page} title={t('consent.title')}>
      <h1>{t('consent.title')}</h1>
      <p>{t('consent.question', { company: companyIdentificationNumber })}</p>
      <p className="note">{t('consent.once')}</p>
      <form method="post" action={action}>
        <button type="submit">{t('consent.submit')}</button>
      </form>
    </Page>
  );
}

function LoaderPage({ next, ...page }: PageProps & { next: string }) {
  const { t } = page;
  return (
    <Page {...page} title={t('loader.title')}>
      <h1>{t('loader.heading')}</h1>
      <p role="status">{t('loader.status')}</p>
      <p>
        <a href={next}>{t('loader.now')}</a>
      </p>
    </Page>
  );
}

/** A decimal string with its currency in the page's language ("12,345.67" EUR: €12,345.67, 12 345,67 €), never through a float. */
function formatAmount(money: { amount: string; currency: string }, language: SiteLanguage): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: money.currency }).format(money.amount as Intl.StringNumericLiteral);
}

/** Months with their one decimal ("2.5": 2.5, 2,5). */
function formatMonths(months: string, language: SiteLanguage): string {
  return new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(months as Intl.StringNumericLiteral);
}

interface GuidanceOptions {
  companyIdentificationNumber: string;
  indicators: GuidanceIndicators;
  webhookAction: string;
  /** The outcome of "Send a guidance-ready webhook", once pressed. */
  webhookMessage?: string | undefined;
}

function GuidancePage({ companyIdentificationNumber, indicators, webhookAction, webhookMessage, ...page }: PageProps & GuidanceOptions) {
  const { t, language } = page;
  const rows: [string, string][] = [
    [t('guidance.healthScore'), t('guidance.healthScoreValue', { score: String(indicators.healthScore) })],
    [t('guidance.cashRunway'), t('guidance.cashRunwayValue', { months: formatMonths(indicators.cashRunwayMonths, language) })],
    [t('guidance.monthlyBurn'), formatAmount(indicators.monthlyBurn, language)],
    [t('guidance.cashBalance'), formatAmount(indicators.cashBalance, language)],
    [t('guidance.receivables'), t('guidance.receivablesValue', { days: indicators.receivablesDays })],
  ];
  return (
    <Page {...page} title={t('guidance.title')}>
      <h1>{t('guidance.title')}</h1>
      <p>{t.rich('guidance.company', { company: companyIdentificationNumber, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <h2>{t('guidance.indicators')}</h2>
      <dl>
        {rows.map(([term, value]) => (
          <Fragment key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <h2>{t('guidance.tools')}</h2>
      <form method="post" action={webhookAction}>
        <button type="submit">{t('guidance.sendWebhook')}</button>
      </form>
      <p className="status" role="status">
        {webhookMessage ?? ''}
      </p>
    </Page>
  );
}

function MessagePage({ heading, message, ...page }: PageProps & { heading: string; message: string }) {
  return (
    <Page {...page} title={heading}>
      <h1>{heading}</h1>
      <p>{message}</p>
    </Page>
  );
}

type InLanguage<Options> = Options & { language: SiteLanguage };
const pageProps = (language: SiteLanguage): PageProps => ({ language, t: siteTranslator(language) });

export const passwordPage = ({ language, ...options }: InLanguage<{ action: string; invalid: boolean }>): string =>
  renderDocument(<PasswordPage {...pageProps(language)} {...options} />);
export const consentPage = ({ language, ...options }: InLanguage<{ action: string; companyIdentificationNumber: string }>): string =>
  renderDocument(<ConsentPage {...pageProps(language)} {...options} />);
export const loaderPage = ({ language, ...options }: InLanguage<{ next: string }>): string =>
  renderDocument(<LoaderPage {...pageProps(language)} {...options} />);
export const guidancePage = ({ language, ...options }: InLanguage<GuidanceOptions>): string =>
  renderDocument(<GuidancePage {...pageProps(language)} {...options} />);
/** A page that only says something: its heading and message, already in `language`. */
export const messagePage = ({ language, ...options }: InLanguage<{ heading: string; message: string }>): string =>
  renderDocument(<MessagePage {...pageProps(language)} {...options} />);
