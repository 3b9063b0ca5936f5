'use client';

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FieldError } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';
import { passkeyCreation, type OptionsAction } from './passkey-browser';

/** What setting up an authenticator app shows: the QR code and the key (this response is the only one that has it). */
export interface TotpSetupData {
  secret: string;
  groupedSecret: string;
  qrCode: string;
}

/** A factor added: the recovery codes when it was the user's first, and where to go on (at login: the page asked for). */
export interface FactorAddedData {
  recoveryCodes: string[];
  next?: string;
}

export interface EnrolmentActions {
  beginTotp: StateAction<TotpSetupData>;
  confirmTotp: StateAction<FactorAddedData>;
  passkeyOptions: OptionsAction<PublicKeyCredentialCreationOptionsJSON>;
  addPasskey: StateAction<FactorAddedData>;
}

/**
 * Setting up a second factor: an authenticator app (QR code or key, then a first code) and/or a passkey. Once one is
 * added, the recovery codes it came with are shown once, then the user goes on to `doneHref` (or the login's next page).
 */
export function Enrolment({
  actions,
  offerTotp,
  returnTo,
  doneHref,
  headingLevel = 2,
}: {
  actions: EnrolmentActions;
  offerTotp: boolean;
  returnTo?: string;
  doneHref: string;
  /** The sections' headings: h2 on a page of their own, h3 inside a card. */
  headingLevel?: 2 | 3;
}) {
  const [added, setAdded] = useState<FactorAddedData | null>(null);
  const router = useRouter();
  const next = added?.next ?? doneHref;
  useEffect(() => {
    // No new codes (a further factor keeps the earlier ones): straight on.
    if (added && added.recoveryCodes.length === 0) router.push(next);
  }, [added, next, router]);
  if (added) return added.recoveryCodes.length > 0 ? <RecoveryCodes codes={added.recoveryCodes} next={next} /> : null;
  return (
    <div className="flex flex-col gap-6">
      {offerTotp ? <TotpSetup actions={actions} returnTo={returnTo} onAdded={setAdded} heading={headingLevel} /> : null}
      <PasskeySetup actions={actions} returnTo={returnTo} onAdded={setAdded} heading={headingLevel} />
    </div>
  );
}

interface SetupProps {
  actions: EnrolmentActions;
  returnTo?: string;
  onAdded: (data: FactorAddedData) => void;
  heading: 2 | 3;
}

function Heading({ level, id, children }: { level: 2 | 3; id: string; children: React.ReactNode }) {
  const Tag = level === 2 ? 'h2' : 'h3';
  return (
    <Tag id={id} className="text-lg font-semibold">
      {children}
    </Tag>
  );
}

function ReturnTo({ value }: { value?: string }) {
  return value ? <input type="hidden" name="returnTo" value={value} /> : null;
}

function TotpSetup({ actions, returnTo, onAdded, heading }: SetupProps) {
  const t = useTranslations('twoFactor.totp');
  const [setup, begin] = useActionState(actions.beginTotp, undefined);
  const [confirmed, confirm] = useActionState(actions.confirmTotp, undefined);
  useEffect(() => {
    if (confirmed?.ok) onAdded(confirmed.data);
  }, [confirmed, onAdded]);
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <Heading level={heading} id={`${id}-title`}>
        {t('title')}
      </Heading>
      {setup?.ok ? (
        <form action={confirm} className="flex flex-col gap-3" noValidate>
          <ReturnTo value={returnTo} />
          <p className="text-sm">{t('scan')}</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server */}
          <img src={setup.data.qrCode} alt={t('qrAlt')} width={200} height={200} className="h-48 w-48 rounded border border-slate-300" />
          <p className="text-sm">{t('manual')}</p>
          <p className="font-mono text-base tracking-wider">{setup.data.groupedSecret}</p>
          <FormMessage tone="error" message={failureMessage(confirmed)} />
          <Field
            name="code"
            idBase={`${id}-code`}
            label={t('code')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={9}
            required
            errors={fieldErrorsOf(confirmed).code}
          />
          <div>
            <SubmitButton pendingLabel={t('confirmPending')}>{t('confirm')}</SubmitButton>
          </div>
        </form>
      ) : (
        <form action={begin} className="flex flex-col gap-2">
          <FormMessage tone="error" message={failureMessage(setup)} />
          <div>
            <SubmitButton variant="secondary" pendingLabel={t('confirmPending')}>
              {t('start')}
            </SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}

function PasskeySetup({ actions, returnTo, onAdded, heading }: SetupProps) {
  const t = useTranslations('twoFactor.passkeys');
  const [result, add, adding] = useActionState(actions.addPasskey, undefined);
  const [waiting, setWaiting] = useState(false);
  const [failed, setFailed] = useState(false);
  const [name, setName] = useState('');
  const id = useId();
  useEffect(() => {
    if (result?.ok) onAdded(result.data);
  }, [result, onAdded]);
  async function create() {
    setFailed(false);
    setWaiting(true);
    const json = await passkeyCreation(actions.passkeyOptions);
    setWaiting(false);
    if (!json) {
      setFailed(true);
      return;
    }
    const form = new FormData();
    form.set('passkey', json);
    form.set('name', name);
    if (returnTo) form.set('returnTo', returnTo);
    startTransition(() => add(form));
  }
  const problem = failed || (result && !result.ok) ? [failed ? t('failed') : (failureMessage(result) ?? t('failed'))] : undefined;
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3">
      <Heading level={heading} id={`${id}-title`}>
        {t('title')}
      </Heading>
      <p className="text-sm">{t('intro')}</p>
      <Field
        name="name"
        idBase={`${id}-name`}
        label={t('name')}
        hint={t('nameHint')}
        maxLength={60}
        autoComplete="off"
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <div className="flex flex-col gap-1">
        <div>
          <Button
            type="button"
            variant="secondary"
            disabled={waiting || adding}
            aria-describedby={problem ? `${id}-error` : undefined}
            onClick={() => void create()}
          >
            {waiting || adding ? t('adding') : t('add')}
          </Button>
        </div>
        <FieldError id={`${id}-error`} errors={problem} />
      </div>
    </section>
  );
}

/** The ten recovery codes, shown once, with a copy button, then on. */
export function RecoveryCodes({ codes, next }: { codes: string[]; next: string }) {
  const t = useTranslations('twoFactor.codes');
  const [copied, setCopied] = useState(false);
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-4 rounded-lg border-2 border-blue-800 bg-blue-50 p-6">
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {t('title')}
      </h2>
      <p className="text-sm">{t('intro')}</p>
      <ul aria-label={t('listLabel')} className="grid grid-cols-2 gap-2 font-mono text-base">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant="secondary" onClick={() => void copy()}>
          {t('copy')}
        </Button>
        <span role="status" className="text-sm">
          {copied ? t('copied') : ''}
        </span>
        <Link href={next} className="inline-flex items-center justify-center rounded-md bg-blue-800 px-4 py-2 text-sm font-semibold text-white">
          {t('saved')}
        </Link>
      </div>
    </section>
  );
}
