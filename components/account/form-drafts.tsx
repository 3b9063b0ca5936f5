'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

// Work is never lost when a session ends: what the user typed on the page (never a password, a secret or a file)
// is kept in this tab's sessionStorage when they submit a form or when the idle timeout ends the session, and put
// back into the same page's forms after they log in again (the login page sets RESTORE_KEY when it was a session
// end that sent them there). sessionStorage: this tab only, gone with it, never sent to the server.

export const SESSION_ENDED_EVENT = 'guidepost:session-ended';
const DRAFT_KEY = 'guidepost:draft';
const RESTORE_KEY = 'guidepost:restore';
const MAX_AGE_MS = 60 * 60 * 1000;
const SECRET = /password|secret|token|nonce|otp|code|pin/i;
const SKIPPED_TYPES = new Set(['hidden', 'password', 'file', 'submit', 'button', 'reset', 'image']);

type Values = Record<string, string[]>;
interface Draft {
  path: string;
  at: number;
  values: Values;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controlsOf(form: HTMLFormElement): Control[] {
  return [...form.elements].filter(
    (element): element is Control =>
      (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) &&
      element.name !== '' &&
      !element.name.startsWith('$') &&
      !SECRET.test(element.name) &&
      !(element instanceof HTMLInputElement && SKIPPED_TYPES.has(element.type)),
  );
}

function valuesOf(forms: HTMLFormElement[]): Values {
  const values: Values = {};
  for (const form of forms)
    for (const control of controlsOf(form)) {
      if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio') && !control.checked) continue;
      (values[control.name] ??= []).push(control.value);
    }
  return values;
}

const here = () => `${window.location.pathname}${window.location.search}`;

function save(forms: HTMLFormElement[]): void {
  const values = valuesOf(forms);
  if (Object.keys(values).length === 0) return;
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ path: here(), at: Date.now(), values } satisfies Draft));
  } catch {
    // Storage full or refused: nothing to keep, nothing breaks.
  }
}

/** Sets a value the way typing would, so React-managed inputs see the change too. */
function setValue(control: Control, value: string): void {
  const prototype = Object.getPrototypeOf(control) as object;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(control, value);
  control.dispatchEvent(new Event('input', { bubbles: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

function restore(values: Values): boolean {
  let restored = false;
  for (const form of document.forms)
    for (const control of controlsOf(form)) {
      const saved = values[control.name];
      if (!saved) continue;
      if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
        const checked = saved.includes(control.value);
        if (control.checked !== checked) control.click();
      } else setValue(control, saved[0] ?? '');
      restored = true;
    }
  return restored;
}

function takeDraft(): Draft | undefined {
  try {
    const raw = sessionStorage.getItem(DRAFT_KEY);
    const asked = sessionStorage.getItem(RESTORE_KEY) !== null;
    sessionStorage.removeItem(RESTORE_KEY);
    if (!raw) return undefined;
    const draft = JSON.parse(raw) as Draft;
    if (Date.now() - draft.at > MAX_AGE_MS) sessionStorage.removeItem(DRAFT_KEY);
    if (!asked || draft.path !== here() || Date.now() - draft.at > MAX_AGE_MS) return undefined;
    sessionStorage.removeItem(DRAFT_KEY);
    return draft;
  } catch {
    return undefined;
  }
}

/** In the portal's layout: keeps drafts, and restores one after a login that followed a session end. */
export function FormDrafts() {
  const t = useTranslations('common.idle');
  const [restored, setRestored] = useState(false);

  useEffect(() => {
    const draft = takeDraft();
    // After hydration (sessionStorage does not exist on the server), so the message can only be set here.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the draft is read from the browser once mounted
    if (draft && restore(draft.values)) setRestored(true);
    const onSubmit = (event: SubmitEvent) => {
      if (event.target instanceof HTMLFormElement) save([event.target]);
    };
    const onEnded = () => save([...document.forms]);
    document.addEventListener('submit', onSubmit, true);
    window.addEventListener(SESSION_ENDED_EVENT, onEnded);
    return () => {
      document.removeEventListener('submit', onSubmit, true);
      window.removeEventListener(SESSION_ENDED_EVENT, onEnded);
    };
  }, []);

  return (
    <div role="status" className="empty:hidden">
      {restored ? <p className="rounded-md border border-blue-300 bg-blue-50 p-3 text-sm text-blue-950">{t('restored')}</p> : null}
    </div>
  );
}

/** On the login page after a session end: the next portal page puts back the draft kept for it. */
export function RestoreAfterLogin() {
  useEffect(() => {
    try {
      sessionStorage.setItem(RESTORE_KEY, '1');
    } catch {
      // No storage: nothing was kept either.
    }
  }, []);
  return null;
}
