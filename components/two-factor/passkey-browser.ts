'use client';

import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import type { ActionState } from '@/lib/actions/result';

// The browser's half of a passkey ceremony (@simplewebauthn/browser): options from a server action, the device asks
// the user, and the JSON answer goes back to the server in a form field. Cancelling, a timeout or a browser without
// WebAuthn are all "no passkey": the caller says so next to the button. The library loads when a ceremony starts,
// not with the page: every portal page has the step-up fields, few pages see a passkey used.

type OptionsAction<T> = (state: ActionState<T>, data: FormData) => Promise<ActionState<T>>;

async function optionsFrom<T>(action: OptionsAction<T>): Promise<T | undefined> {
  const result = await action(undefined, new FormData());
  return result?.ok && result.data ? result.data : undefined;
}

// What @simplewebauthn/browser's browserSupportsWebAuthn checks, without loading it.
export const passkeysSupported = () => typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';

/** A passkey's signature for the server's challenge, as JSON; undefined when none was given. */
export async function passkeyAssertion(action: OptionsAction<PublicKeyCredentialRequestOptionsJSON>): Promise<string | undefined> {
  if (!passkeysSupported()) return undefined;
  try {
    // Both at once: the library's download takes no time from the user's click (WebAuthn wants it recent).
    const [optionsJSON, { startAuthentication }] = await Promise.all([optionsFrom(action), import('@simplewebauthn/browser')]);
    if (!optionsJSON) return undefined;
    return JSON.stringify(await startAuthentication({ optionsJSON }));
  } catch {
    return undefined;
  }
}

/** A new passkey's public key for the server, as JSON; undefined when none was created. */
export async function passkeyCreation(action: OptionsAction<PublicKeyCredentialCreationOptionsJSON>): Promise<string | undefined> {
  if (!passkeysSupported()) return undefined;
  try {
    // Both at once: the library's download takes no time from the user's click (WebAuthn wants it recent).
    const [optionsJSON, { startRegistration }] = await Promise.all([optionsFrom(action), import('@simplewebauthn/browser')]);
    if (!optionsJSON) return undefined;
    return JSON.stringify(await startRegistration({ optionsJSON }));
  } catch {
    return undefined;
  }
}

export type { OptionsAction };
