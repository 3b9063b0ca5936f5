import { PortalNav } from '@/components/layout/portal-nav';
import { NotificationCenter } from '@/components/notifications/notification-center';
import { QueryProvider } from '@/components/notifications/query-provider';
import { Logo } from '@/components/layout/logo';
import { SandboxBadge } from '@/components/layout/sandbox-badge';
import { SiteFooter } from '@/components/layout/site-footer';
import { Button } from '@/components/ui/button';
import { requireUser } from '@/lib/auth/dal';
import { dismissNotificationAction, logoutAction, openGuidanceFromNotificationAction } from './actions';

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <header className="border-b border-slate-300 bg-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex items-center gap-3">
            <Logo />
            <SandboxBadge />
          </div>
          <PortalNav />
          <div className="flex items-center gap-3">
            <p className="text-sm text-slate-700">{user.email}</p>
            <form action={logoutAction}>
              <Button type="submit" variant="secondary">
                Log out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <QueryProvider>
        <main id="content" className="mx-auto flex w-full max-w-4xl flex-col gap-6 px-4 py-8">
          <NotificationCenter openAction={openGuidanceFromNotificationAction} dismissAction={dismissNotificationAction} />
          {children}
        </main>
      </QueryProvider>
      <SiteFooter />
    </>
  );
}
