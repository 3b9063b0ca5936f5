import { LanguageSwitch } from '@/components/layout/language-switch';
import { Logo } from '@/components/layout/logo';
import { SandboxBadge } from '@/components/layout/sandbox-badge';
import { SiteFooter } from '@/components/layout/site-footer';

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <header className="border-b border-slate-300 bg-white">
        <div className="mx-auto flex max-w-md items-center gap-3 px-4 py-4">
          <Logo />
          <SandboxBadge />
          <div className="ml-auto">
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-md px-4 py-10">{children}</main>
      <SiteFooter />
    </>
  );
}
