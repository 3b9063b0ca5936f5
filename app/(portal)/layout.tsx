import { FormDrafts } from '@/components/account/form-drafts';
import { IdleWarning } from '@/components/account/idle-warning';
import { PortalNav } from '@/components/layout/portal-nav';
import { NotificationCenter } from '@/components/notifications/notification-center';
import { Logo } from '@/components/layout/logo';
import { SandboxBadge } from '@/components/layout/sandbox-badge';
import { SiteFooter } from '@/components/layout/site-footer';
import { Button } from '@/components/ui/button';
import { LanguageSwitch } from '@/components/layout/language-switch';
import { SecondFactorProvider } from '@/components/two-factor/second-factor-fields';
import { requireUser } from '@/lib/auth/dal';
import { getEnv } from '@/lib/env';
import { getTranslations } from '@/lib/i18n/server';
import { dismissNotificationAction, logoutAction, openGuidanceFromNotificationAction } from './actions';
import { passkeyStepUpOptionsAction } from './settings/security/actions';

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const t = await getTranslations('common.header');
  const factors = user.secondFactors;
  return (
    <>
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2">
        {t('skipToContent')}
      </a>
      <header className="border-b border-slate-300 bg-white">
        {/* Phones: the logo and "Log out" on one row, the navigation on one scrollable row below (the email is
            on the account page). Wider screens: one row that wraps. */}
        <div className="mx-auto grid max-w-4xl grid-cols-[1fr_auto] items-center gap-x-3 gap-y-1 px-4 py-2 sm:flex sm:flex-wrap sm:justify-between sm:gap-3 sm:py-3">
          <div className="flex min-w-0 items-center gap-2 sm:gap-3">
            <Logo />
            <SandboxBadge />
          </div>
          <div className="flex items-center gap-2 sm:order-last sm:gap-3">
            <p className="hidden text-sm text-slate-700 sm:block">{user.email}</p>
            <LanguageSwitch />
            <form action={logoutAction}>
              <Button type="submit" variant="secondary" className="whitespace-nowrap">
                {t('logOut')}
              </Button>
            </form>
          </div>
          <PortalNav />
        </div>
      </header>
      {/* Step-up fields (ConfirmPasswordField) ask for the second factor too when the user has one. */}
      <SecondFactorProvider value={factors.totp || factors.passkey ? { ...factors, passkeyOptions: passkeyStepUpOptionsAction } : null}>
        <main id="content" className="mx-auto flex w-full max-w-4xl flex-col gap-6 px-4 py-8">
          <FormDrafts />
          <NotificationCenter openAction={openGuidanceFromNotificationAction} dismissAction={dismissNotificationAction} />
          {children}
        </main>
      </SecondFactorProvider>
      <SiteFooter />
      {/* Two minutes' warning before the idle timeout (half the timeout when a test shortens it). */}
      <IdleWarning expiresAt={user.expiresAt.toISOString()} warnMs={Math.min(120_000, getEnv().sessionIdleMs / 2)} logoutAction={logoutAction} />
    </>
  );
}
