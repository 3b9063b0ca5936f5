'use client';

import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useTranslations } from 'next-intl';
import { createContext, useContext, useRef, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FieldError } from '@/components/ui/field';
import { passkeyAssertion, type OptionsAction } from './passkey-browser';

/** Which second factors the signed-in user has, and where a passkey's challenge comes from (the portal layout says). */
export interface SecondFactors {
  totp: boolean;
  passkey: boolean;
  passkeyOptions: OptionsAction<PublicKeyCredentialRequestOptionsJSON>;
}

const SecondFactorContext = createContext<SecondFactors | null>(null);

export function SecondFactorProvider({ value, children }: { value: SecondFactors | null; children: ReactNode }) {
  return <SecondFactorContext.Provider value={value}>{children}</SecondFactorContext.Provider>;
}

/**
 * The second factor, asked with the password at step-up (inside ConfirmPasswordField) and alone at login: the code
 * (the app's, or a recovery code) and, for a user with passkeys, "Use a passkey", which puts the passkey's answer in
 * a hidden field and sends the form. Nothing when the user has no second factor.
 */
export function SecondFactorFields({ errors, idBase, factors }: { errors?: string[]; idBase?: string; factors?: SecondFactors | null }) {
  const fromLayout = useContext(SecondFactorContext);
  const known = factors ?? fromLayout;
  const t = useTranslations('twoFactor');
  const answer = useRef<HTMLInputElement>(null);
  const [waiting, setWaiting] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!known || (!known.totp && !known.passkey)) return null;
  const id = `${idBase ?? 'second-factor'}-passkey-error`;

  async function answerWithPasskey(button: HTMLButtonElement) {
    setFailed(false);
    setWaiting(true);
    const json = await passkeyAssertion(known!.passkeyOptions);
    setWaiting(false);
    if (!json || !answer.current || !button.form) {
      setFailed(true);
      return;
    }
    answer.current.value = json;
    button.form.requestSubmit();
    // One answer per challenge: a later submission of the same form must not send it again.
    answer.current.value = '';
  }

  return (
    <>
      <Field
        name="code"
        idBase={idBase ? `${idBase}-code` : 'code'}
        label={t('code.label')}
        autoComplete="one-time-code"
        inputMode="text"
        spellCheck={false}
        maxLength={40}
        hint={t('code.hint')}
        errors={errors}
      />
      {known.passkey ? (
        <div className="flex flex-col gap-1">
          <input ref={answer} type="hidden" name="passkey" defaultValue="" />
          <div>
            <Button
              type="button"
              variant="secondary"
              disabled={waiting}
              aria-describedby={failed ? id : undefined}
              onClick={(event) => void answerWithPasskey(event.currentTarget)}
            >
              {waiting ? t('passkey.pending') : t('passkey.use')}
            </Button>
          </div>
          <FieldError id={id} errors={failed ? [t('passkey.failed')] : undefined} />
        </div>
      ) : null}
    </>
  );
}
