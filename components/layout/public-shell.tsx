import { LanguageSwitch } from '@/components/layout/language-switch';
import { Logo } from '@/components/layout/logo';
import { SiteFooter } from '@/components/layout/site-footer';

/** The frame of a page anyone may see outside the portal (the privacy notice, a 404): logo, content, footer. */
export function PublicShell({ children, width = 'max-w-3xl' }: { children: React.ReactNode; width?: 'max-w-xl' | 'max-w-3xl' }) {
  return (
    <>
      <header className="border-b border-slate-300 bg-white">
        <div className="mx-auto flex max-w-4xl items-center gap-3 px-4 py-3">
          <Logo />
          <div className="ml-auto">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="content" className={`mx-auto flex w-full ${width} flex-col gap-4 px-4 py-8`}>
        {children}
      </main>
      <SiteFooter />
    </>
  );
}
