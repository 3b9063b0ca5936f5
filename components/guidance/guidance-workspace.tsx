'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormMessage } from '@/components/ui/form-message';
import { usePassed } from './clock';
import { Countdown } from './countdown';
import { OpenOnBridge } from './open-on-bridge';
import { ReauthForm } from './reauth-form';
import { ShownPassword } from './shown-password';
import { useGuidanceAction, type GuidanceAction } from './use-guidance-action';

export type PasswordState = 'held' | 'deleted' | 'expired' | 'invalidated';

export interface LatestSession {
  id: string;
  url: string;
  passwordState: PasswordState;
  passwordExpiresAt: string;
}

type Submit = (event: FormEvent<HTMLFormElement>) => void;

const LEAK_FORM = 'guidance-leak-form';
// After the countdown's zero, the page asks the server again (which records the expiry) once the server's clock
// has surely passed it too.
const REFRESH_AFTER_EXPIRY_MS = 1500;

function IntentForm({
  id,
  action,
  onSubmit,
  intent,
  sessionId,
  requestKey,
  children,
}: {
  id?: string;
  action: (data: FormData) => void;
  onSubmit: Submit;
  intent: string;
  sessionId?: string;
  requestKey?: string;
  children: React.ReactNode;
}) {
  return (
    <form id={id} action={action} onSubmit={onSubmit}>
      <input type="hidden" name="intent" value={intent} />
      {sessionId ? <input type="hidden" name="sessionId" value={sessionId} /> : null}
      {requestKey ? <input type="hidden" name="requestKey" value={requestKey} /> : null}
      {children}
    </form>
  );
}

/** Which sentence says why the last session's password cannot be shown any more. */
const GONE_NOTE = { deleted: 'deletedNote', expired: 'expiredNote', invalidated: 'invalidatedNote' } as const;

/**
 * The guidance session, led by what the user came for: once a session is open, "Open my guidance on Bridge" with its
 * password (or the button that shows it again) beside it; opening a new session, "I'm done" and the leak report come
 * second. Everything that depends on time (the countdown, whether the password may still be shown) reads one clock,
 * the server's render time until the page is hydrated, so the server's HTML and the browser's first render agree.
 */
export function GuidanceWorkspace({
  action,
  latest,
  missing,
  openKey,
  serverNow,
}: {
  action: GuidanceAction;
  latest?: LatestSession;
  missing: string[];
  openKey: string;
  /** When the server rendered the page (ms): the clock until hydration is done. */
  serverNow: number;
}) {
  const t = useTranslations('guidance.workspace');
  const leak = useTranslations('guidance.leakDialog');
  const announce = useTranslations('guidance.shown');
  const router = useRouter();
  const { state, formAction, onSubmit, pending, forget } = useGuidanceAction(action);

  const shownResult = state?.ok && state.data.kind === 'shown' ? state.data : undefined;
  // Re-rendered when a password's time is up, not at every tick (the countdowns tick by themselves).
  const shownExpired = usePassed(shownResult?.expiresAt, serverNow);
  const shownNow = shownExpired ? undefined : shownResult;
  // The server settled the state when it rendered; the clock may have passed the expiry since.
  const latestPassed = usePassed(latest?.passwordExpiresAt, serverNow);
  const latestExpired = latest?.passwordState === 'held' && latestPassed;
  const latestState: PasswordState | undefined = latestExpired ? 'expired' : latest?.passwordState;
  const current = latest && latestState === 'held' ? latest : undefined;

  // A password whose time is up leaves memory too, not only the screen.
  useEffect(() => {
    if (shownExpired) forget();
  }, [shownExpired]); // eslint-disable-line react-hooks/exhaustive-deps -- forget is a new function each render; once is enough
  // The list of sessions and the activity below come from the server: let it record the expiry and show it.
  useEffect(() => {
    if (!latestExpired) return;
    const timer = setTimeout(() => router.refresh(), REFRESH_AFTER_EXPIRY_MS);
    return () => clearTimeout(timer);
  }, [latestExpired, router]);

  if (missing.length > 0) {
    return (
      <div className="flex flex-col gap-3">
        <p>{t('missingIntro')}</p>
        <ul className="list-disc pl-6">
          {missing.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
        <p>
          <Link href="/settings/company" className="font-semibold text-blue-800 underline">
            {t('completeProfile')}
          </Link>
        </p>
      </div>
    );
  }

  const failed = state?.ok === false && state.error !== 'reauth_required' ? state : undefined;
  const reauth = state?.ok === false && state.error === 'reauth_required' ? state : undefined;
  const leading = shownNow !== undefined || current !== undefined;
  return (
    <div className="flex flex-col gap-5">
      {shownNow?.replaced ? <FormMessage tone="success" message={t('replaced')} /> : null}
      {failed ? (
        <div className="flex flex-col gap-2">
          <FormMessage tone="error" message={failed.message} />
          {failed.details ? (
            <p className="text-sm">
              {t('missingDetails', { details: failed.details.join(', ') })}{' '}
              <Link href="/settings/company" className="font-semibold text-blue-800 underline">
                {t('completeProfile')}
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {state?.ok && state.data.kind === 'done' ? <FormMessage tone="success" message={state.message} /> : null}

      {shownNow ? (
        <ShownPassword
          key={`${shownNow.sessionId}-${shownNow.expiresAt}`}
          url={shownNow.url}
          password={shownNow.password}
          expiresAt={shownNow.expiresAt}
          serverNow={serverNow}
        />
      ) : null}

      {reauth ? <ReauthForm state={reauth} formAction={formAction} onSubmit={onSubmit} pending={pending} /> : null}

      {current && !shownNow ? (
        <section aria-labelledby="current-session-heading" className="flex flex-col gap-3">
          <h3 id="current-session-heading" className="font-semibold">
            {t('currentHeading')}
          </h3>
          <div className="flex flex-wrap items-center gap-3">
            <OpenOnBridge url={current.url} />
            <IntentForm action={formAction} onSubmit={onSubmit} intent="reveal" sessionId={current.id}>
              <Button type="submit" variant="secondary" disabled={pending}>
                {t('showAgain')}
              </Button>
            </IntentForm>
          </div>
          <p>{t.rich('heldNote', { countdown: () => <Countdown until={current.passwordExpiresAt} serverNow={serverNow} /> })}</p>
        </section>
      ) : null}
      {latestState && latestState !== 'held' && !shownNow ? <p>{t(GONE_NOTE[latestState])}</p> : null}

      <div className="flex flex-wrap gap-3">
        {current ? (
          <>
            <IntentForm action={formAction} onSubmit={onSubmit} intent="done" sessionId={current.id}>
              <Button type="submit" variant="secondary" disabled={pending}>
                {t('done')}
              </Button>
            </IntentForm>
            <IntentForm id={LEAK_FORM} action={formAction} onSubmit={onSubmit} intent="leak" sessionId={current.id}>
              <ConfirmDialog formId={LEAK_FORM} triggerLabel={t('leak')} title={leak('title')} confirmLabel={leak('confirm')} disabled={pending}>
                <p>{leak('stops')}</p>
                <p>{leak('issued')}</p>
              </ConfirmDialog>
            </IntentForm>
          </>
        ) : null}
        <IntentForm action={formAction} onSubmit={onSubmit} intent="open" requestKey={openKey}>
          {/* Once a session leads, a new one is the secondary way. */}
          <Button type="submit" variant={leading ? 'secondary' : 'primary'} disabled={pending}>
            {latest ? t('openNew') : t('openFirst')}
          </Button>
        </IntentForm>
      </div>
      <p role="status" className="sr-only">
        {pending ? t('working') : shownNow ? announce('announce') : ''}
      </p>
    </div>
  );
}
