import 'server-only';
import { headers } from 'next/headers';
import { redirect, unstable_rethrow } from 'next/navigation';
import type { Logger } from 'pino';
import { z } from 'zod';
import { currentUser, loginRedirectPath, type CurrentUser } from '@/lib/auth/dal';
import { stepUp, type StepUpOutcome } from '@/lib/auth/step-up';
import type { Locale } from '@/lib/i18n/locales';
import { messageRef, resolveFieldErrors } from '@/lib/i18n/message-ref';
import { serverLocale } from '@/lib/i18n/request-locale';
import { messageResolver } from '@/lib/i18n/resolve';
import { logger } from '@/lib/log';
import { failureFor, providerOf } from './errors';
import type { ActionErrorCode, ActionFailure, ActionResult, ActionState, FormValues } from './result';

// The one way a server action runs (every app/**/actions.ts goes through here):
//   1. authorise through the data-access layer (lib/auth/dal.ts): no session, no work, off to /login;
//   2. parse the input with zod: field errors go back next to their fields, with what was typed;
//   3. the recent-login rule (lib/auth/step-up.ts) where the action asks for it: the re-auth result
//      until the password is typed again;
//   4. run the work, mapping what it throws: our own errors and the providers' to one ActionResult
//      (our sentence, the provider's reference), Next.js's redirect() through untouched, anything else
//      rethrown for the error page;
//   5. one log line: the action, its outcome and duration, the user id, field names at most, never a value;
//   6. every message reference in the result (lib/i18n/message-ref.ts: zod messages, the spec's own sentences,
//      waitMessage) said in the request's language, so the form shows the user's language whoever wrote it.

export type Access = 'user' | 'optional' | 'public';

type UserFor<A extends Access> = A extends 'user' ? CurrentUser : A extends 'optional' ? CurrentUser | null : null;

interface ActionContext<A extends Access = 'user'> {
  user: UserFor<A>;
  /** Every submitted text field (files and Next.js's own `$` fields left out), for checks that depend on stored data. */
  fields: FormValues;
}

export interface ActionSpec<S extends z.ZodType, T, A extends Access> {
  /** Names the action in its log line, e.g. 'company.save'. */
  name: string;
  /**
   * 'user' (the default): a signed-in user, checked by the data-access layer, or a redirect to /login
   * before anything else. 'optional': the user when signed in, else null (ending a session that already
   * ended is no error). 'public': no session looked up (logging in, signing up).
   */
  access?: A;
  /** The input's schema, applied to the form's fields (or to the object passed instead of a form). */
  input: S;
  /** What the schema is applied to, from the form; by default its text fields. */
  read?: (formData: FormData) => Record<string, unknown>;
  /** Fields (of what `read` gives) returned with a failure so the form shows what was typed; a password never is. */
  keep?: readonly string[] | 'all';
  /** For forms of hidden fields: input that does not parse is this one sentence (a messageRef), not field errors. */
  invalid?: { error?: ActionErrorCode; message: string };
  /**
   * The recent-login rule: the work needs a password typed within RECENT_LOGIN_SECONDS, always or when
   * this says so for the input. Otherwise the result is 'reauth_required' until the form sends the
   * password (its `password` field), which rotates the session id (stepUp).
   */
  recentLogin?: boolean | ((input: z.output<S>, user: CurrentUser) => boolean | Promise<boolean>);
  /** The re-auth result's sentence (a messageRef, said in the user's language). */
  reauthMessage?: string;
  run: (input: z.output<S>, context: ActionContext<A>) => Promise<ActionResult<T>>;
}

export interface ActionDeps {
  currentUser: () => Promise<CurrentUser | null>;
  stepUp: (user: CurrentUser, password: string | undefined, proof?: { code?: string; passkey?: string }) => Promise<StepUpOutcome>;
  log: () => Logger;
  /** The language the result is said in; by default the request's (English outside a request). */
  locale?: () => Promise<Locale>;
  /** Where a request without a valid session goes; by default the login page, told why and where to come back. */
  loginPath?: () => Promise<string>;
}

/** The page the action was sent from (its Referer, when it is ours), to come back to after logging in again. */
async function actionLoginPath(): Promise<string> {
  const list = await headers();
  const referer = list.get('referer');
  let from: string | undefined;
  try {
    const url = referer ? new URL(referer) : undefined;
    if (url && url.host === list.get('host')) from = url.pathname + url.search;
  } catch {
    from = undefined;
  }
  return loginRedirectPath(from);
}

const DEFAULT_ACTION_DEPS: ActionDeps = { currentUser, stepUp, log: logger, locale: serverLocale, loginPath: actionLoginPath };

export const REAUTH_MESSAGE = messageRef('actions.reauth');

// Never echoed back or used as a value to keep, whatever the action lists: passwords, one-time codes, passkey
// responses and anything named a secret.
const SECRET_FIELD = /password|secret|token|nonce|^code$|passkey/i;

/** The form's text fields; files and the fields Next.js adds to a native post (`$ACTION_…`) are left out. */
function textFields(formData: FormData): FormValues {
  const fields: FormValues = {};
  for (const [key, value] of formData) if (typeof value === 'string' && !key.startsWith('$')) fields[key] = value;
  return fields;
}

function fieldsOf(input: FormData | Record<string, unknown>): FormValues {
  if (input instanceof FormData) return textFields(input);
  return Object.fromEntries(Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function kept(fields: FormValues, keep: ActionSpec<z.ZodType, unknown, Access>['keep']): FormValues | undefined {
  if (!keep) return undefined;
  const names = keep === 'all' ? Object.keys(fields) : keep;
  const values: FormValues = {};
  for (const name of names) if (!SECRET_FIELD.test(name) && fields[name] !== undefined) values[name] = fields[name];
  return values;
}

/** Next.js's control flow (redirect(), notFound()), which must reach Next.js as thrown. */
function isNextControlFlow(error: unknown): boolean {
  try {
    unstable_rethrow(error);
    return false;
  } catch {
    return true;
  }
}

type Outcome = { result: ActionResult<unknown>; input?: unknown };

/** The result with its message references said in `locale` (the kept values are the user's own text: untouched). */
function inLanguage(result: ActionResult<unknown>, locale: Locale): ActionResult<unknown> {
  const resolve = messageResolver(locale);
  const said = { ...result };
  if (said.message !== undefined) said.message = resolve(said.message);
  if (!said.ok) {
    if (said.fieldErrors) said.fieldErrors = resolveFieldErrors(said.fieldErrors, resolve);
    if (said.details) said.details = said.details.map(resolve);
  }
  return said;
}

async function perform<S extends z.ZodType, T, A extends Access>(
  spec: ActionSpec<S, T, A>,
  deps: ActionDeps,
  submitted: FormData | Record<string, unknown>,
): Promise<Outcome> {
  const outcome = await attempt(spec, deps, submitted);
  return { ...outcome, result: inLanguage(outcome.result, await (deps.locale ?? serverLocale)()) };
}

async function attempt<S extends z.ZodType, T, A extends Access>(
  spec: ActionSpec<S, T, A>,
  deps: ActionDeps,
  submitted: FormData | Record<string, unknown>,
): Promise<Outcome> {
  const started = performance.now();
  let userId: string | undefined;
  const line = (outcome: string, extra: Record<string, unknown> = {}, level: 'info' | 'warn' | 'error' = 'info') =>
    deps
      .log()
      [level](
        { event: 'action', action: spec.name, outcome, ms: Math.round(performance.now() - started), ...(userId ? { userId } : {}), ...extra },
        'server action',
      );

  const access = spec.access ?? 'user';
  let user: CurrentUser | null = null;
  if (access !== 'public') {
    user = await deps.currentUser();
    if (!user && access === 'user') {
      line('unauthenticated');
      redirect((await deps.loginPath?.()) ?? '/login');
    }
    userId = user?.id;
  }

  const fields = fieldsOf(submitted);
  const raw = submitted instanceof FormData ? (spec.read ?? textFields)(submitted) : submitted;
  // What the schema reads is what the form shows again (e.g. a country typed in full, already resolved).
  const values = kept(fieldsOf(raw), spec.keep);
  const withValues = (failure: ActionFailure): ActionFailure => (values && !failure.values ? { ...failure, values } : failure);
  const invalid = (error: z.ZodError): ActionFailure => {
    if (spec.invalid) return withValues({ ok: false, error: spec.invalid.error ?? 'invalid_input', message: spec.invalid.message });
    return withValues({ ok: false, error: 'invalid_input', fieldErrors: z.flattenError(error).fieldErrors as Record<string, string[]> });
  };
  const fieldNames = (failure: ActionFailure) => Object.keys(failure.fieldErrors ?? {});

  const parsed = spec.input.safeParse(raw);
  if (!parsed.success) {
    const result = invalid(parsed.error);
    line('invalid_input', { fields: fieldNames(result) });
    return { result };
  }
  const input = parsed.data as z.output<S>;

  if (spec.recentLogin) {
    // Only a signed-in user can have logged in recently ('user' access, or a signed-in 'optional' one).
    if (!user) {
      line('unauthenticated');
      redirect('/login');
    }
    const asked = spec.recentLogin === true || (await spec.recentLogin(input, user));
    if (asked) {
      const fit = await deps.stepUp(user, fields.password, { code: fields.code, passkey: fields.passkey });
      if (!fit.ok) {
        // Whether a password came and was refused (wrong, or too many tries), or none came: never the password.
        line('reauth_required', { confirmation: fit.message ? 'refused' : 'missing' });
        const result = withValues({
          ok: false,
          error: 'reauth_required',
          message: spec.reauthMessage ?? REAUTH_MESSAGE,
          ...(fit.message ? { fieldErrors: { [fit.field ?? 'password']: [fit.message] } } : {}),
        });
        return { result, input };
      }
      user = fit.user; // under its new session id
    }
  }

  try {
    const result = await spec.run(input, { user: user as UserFor<A>, fields });
    if (result.ok) line('done');
    else line(result.error, result.fieldErrors ? { fields: fieldNames(result) } : {});
    return { result: result.ok ? result : withValues(result), input };
  } catch (error) {
    if (isNextControlFlow(error)) {
      line('redirect');
      throw error;
    }
    // A check the work made itself (e.g. a schema that depends on stored data).
    if (error instanceof z.ZodError) {
      const result = invalid(error);
      line('invalid_input', { fields: fieldNames(result) });
      return { result, input };
    }
    const known = failureFor(error);
    const provider = providerOf(error);
    if (known) {
      line(known.error, { ...provider }, provider ? 'warn' : 'info');
      return { result: withValues(known), input };
    }
    // The error page; Next.js prints the error itself (through the scrubbed console).
    const code = (error as { code?: unknown } | null)?.code;
    line('failed', { errorType: error instanceof Error ? error.name : typeof error, ...(typeof code === 'string' ? { code } : {}) }, 'error');
    throw error;
  }
}

/** A server action for a form with useActionState: (previous state, form) → the result to render. */
export function stateAction<S extends z.ZodType, T = undefined, A extends Access = 'user'>(
  spec: ActionSpec<S, T, A>,
  deps: ActionDeps = DEFAULT_ACTION_DEPS,
): (state: ActionState<T>, submitted: FormData) => Promise<ActionState<T>> {
  return async (_state, submitted) => (await perform(spec, deps, submitted)).result as ActionResult<T>;
}

/**
 * A server action for a plain form (a button): its work, then where to go. `show` turns the result into
 * the page to redirect to (undefined: stay, e.g. when the work redirected itself); `input` is undefined
 * when the form did not parse.
 */
export function formAction<S extends z.ZodType, T = undefined, A extends Access = 'user'>(
  spec: ActionSpec<S, T, A>,
  show: (result: ActionResult<T>, input: z.output<S> | undefined) => string | undefined,
  deps: ActionDeps = DEFAULT_ACTION_DEPS,
): (submitted: FormData) => Promise<void> {
  return async (submitted) => {
    const { result, input } = await perform(spec, deps, submitted);
    const to = show(result as ActionResult<T>, input as z.output<S> | undefined);
    if (to) redirect(to);
  };
}
