import type { OnboardingErrorCode } from '@/lib/onboarding/types';

// The one result every server action returns (lib/actions/action.ts builds it), shared with the forms
// that render it: a closed set, so the client renders each case without guessing. No `server-only`:
// components import these types.

export type FieldErrors<K extends string = string> = Partial<Record<K, string[]>>;

/** What the user typed (never a password), returned so a failed form shows it again. */
export type FormValues = Record<string, string>;

/** Why an action did not do its work: ours, and the refusals a feature's own errors name (e.g. an onboarding's). */
export type ActionErrorCode =
  'invalid_input' | 'unauthenticated' | 'unverified' | 'rate_limited' | 'reauth_required' | 'conflict' | 'upstream' | 'internal' | OnboardingErrorCode;

export interface ActionSuccess<T = undefined> {
  ok: true;
  data: T;
  message?: string;
  values?: FormValues;
}

export interface ActionFailure<K extends string = string> {
  ok: false;
  error: ActionErrorCode;
  /** The form-level sentence; absent when the messages next to the fields say it all. */
  message?: string;
  /** 'invalid_input': each field's messages, shown next to it. 'reauth_required': the password field's. */
  fieldErrors?: FieldErrors<K>;
  values?: FormValues;
  /** The provider's identifier for this failure, for support (also at the end of `message`). */
  reference?: string;
  /** The way forward is to start the onboarding again (its answers kept). */
  restart?: boolean;
  /** What the message refers to, when it names a list (e.g. the company profile's missing details). */
  details?: string[];
}

export type ActionResult<T = undefined, K extends string = string> = ActionSuccess<T> | ActionFailure<K>;

/** What a form holds between submissions: nothing yet, or the last result. */
export type ActionState<T = undefined, K extends string = string> = ActionResult<T, K> | undefined;

/** The shape of an action used with useActionState. */
export type StateAction<T = undefined, K extends string = string> = (state: ActionState<T, K>, data: FormData) => Promise<ActionState<T, K>>;

export function done<T = undefined>(data?: T, extra: Omit<ActionSuccess<T>, 'ok' | 'data'> = {}): ActionSuccess<T> {
  return { ok: true, data: data as T, ...extra };
}

export function refused<K extends string = string>(
  error: ActionErrorCode,
  message: string,
  extra: Omit<ActionFailure<K>, 'ok' | 'error' | 'message'> = {},
): ActionFailure<K> {
  return { ok: false, error, message, ...extra };
}

/** Messages to show next to fields, e.g. from a check the server alone can make (an email already taken). */
export function invalidFields<K extends string = string>(fieldErrors: FieldErrors<K>, message?: string): ActionFailure<K> {
  return { ok: false, error: 'invalid_input', fieldErrors, ...(message === undefined ? {} : { message }) };
}

/** The field errors of a result, or none: what a form shows next to each field. */
export function fieldErrorsOf<K extends string>(state: ActionState<unknown, K>): FieldErrors<K> {
  return state && !state.ok ? (state.fieldErrors ?? {}) : {};
}

/** The form-level message of a failure, or nothing. */
export function failureMessage(state: ActionState<unknown, string>): string | undefined {
  return state && !state.ok ? state.message : undefined;
}
