import { randomUUID } from 'node:crypto';
import { NONCE_ERRORS } from '@guidepost/provider-contracts/finqware';
import type { BodyProblem } from '../kit/body';
import { jsonErrorBuilder, type ProviderAnswers } from '../kit/errors';

export type FinqwareErrorType = 'invalid_request' | 'unauthorized' | 'external_api_error' | 'internal_error';

// Every error code the sandbox answers, with its status and type, so the two never disagree.
// The documented codes first, then ours (nonces, signing, routing). Some are answered only when a
// scripted fault names them (inactive_credentials, external_api_…): see finqwareAnswers.scriptedError.
export const FINQWARE_ERRORS = {
  missing_fields: { http: 400, type: 'invalid_request' },
  unknown_fields: { http: 400, type: 'invalid_request' },
  invalid_field: { http: 400, type: 'invalid_request' },
  invalid_client_id: { http: 401, type: 'unauthorized' },
  invalid_client_secret: { http: 401, type: 'unauthorized' },
  invalid_client_app_key: { http: 401, type: 'unauthorized' },
  invalid_step: { http: 400, type: 'invalid_request' },
  invalid_session_id: { http: 404, type: 'invalid_request' },
  invalid_skill_name: { http: 400, type: 'invalid_request' },
  invalid_temp_token: { http: 401, type: 'unauthorized' },
  invalid_access_token: { http: 401, type: 'unauthorized' },
  invalid_credentials_id: { http: 400, type: 'invalid_request' },
  expired_credentials: { http: 401, type: 'unauthorized' },
  inactive_credentials: { http: 401, type: 'unauthorized' },
  // The bank behind Finqware failed; "sometimes returned even when correct input is provided" [doc].
  external_api_connection_error: { http: 400, type: 'external_api_error' },
  external_api_too_many_requests: { http: 400, type: 'external_api_error' },
  external_api_unauthorized: { http: 400, type: 'external_api_error' },
  external_api_forbidden: { http: 400, type: 'external_api_error' },
  [NONCE_ERRORS.invalid]: { http: 401, type: 'unauthorized' },
  [NONCE_ERRORS.expired]: { http: 401, type: 'unauthorized' },
  invalid_signature: { http: 401, type: 'unauthorized' },
  not_found: { http: 404, type: 'invalid_request' },
  method_not_allowed: { http: 405, type: 'invalid_request' },
  internal_error: { http: 500, type: 'internal_error' },
} as const satisfies Record<string, { http: number; type: FinqwareErrorType }>;

export type FinqwareErrorCode = keyof typeof FINQWARE_ERRORS;

export interface FinqwareErrorBody {
  /** Finqware's id for support; a fresh UUID per error. */
  id: string;
  type: FinqwareErrorType;
  http: number;
  code: FinqwareErrorCode;
  message: string;
}

/** A Finqware-style error response: `{ id, type, http, code, message }` with `http` equal to the status. */
export const finqwareError: (code: FinqwareErrorCode, message: string, headers?: HeadersInit) => Response = jsonErrorBuilder<FinqwareErrorCode>(
  (code) => FINQWARE_ERRORS[code].http,
  (code, message, http): FinqwareErrorBody => ({ id: randomUUID(), type: FINQWARE_ERRORS[code].type, http, code, message }),
);

/** The bare `{ message }` some Finqware endpoints answer (the docs show it for step submissions). */
export function bareError(message: string, status = 400): Response {
  return Response.json({ message }, { status });
}

/** A refusal decided before the answer's shape is known: step submissions answer it bare, the rest in full. */
export interface Refusal {
  code: FinqwareErrorCode;
  message: string;
}

export function refuse(refusal: Refusal, shape: 'full' | 'bare'): Response {
  return shape === 'bare' ? bareError(refusal.message, FINQWARE_ERRORS[refusal.code].http) : finqwareError(refusal.code, refusal.message);
}

/** A JSON body's problem as Finqware words it: every one is a 400, naming fields and never values. */
export function bodyRefusal(problem: BodyProblem): Refusal {
  switch (problem.kind) {
    case 'media_type':
      return { code: 'invalid_field', message: 'The body must be JSON (Content-Type: application/json).' };
    case 'not_json':
      return { code: 'invalid_field', message: 'The body is not valid JSON.' };
    case 'unknown_fields':
      return { code: 'unknown_fields', message: `Unknown fields: ${problem.fields.join(', ')}.` };
    case 'invalid_field':
      return { code: 'invalid_field', message: `${problem.field} ${problem.problem}.` };
  }
}

const isErrorCode = (code: string): code is FinqwareErrorCode => Object.hasOwn(FINQWARE_ERRORS, code);

/** What the kit answers on Finqware's behalf, in the full error shape. */
export const finqwareAnswers: ProviderAnswers = {
  notFound: () => finqwareError('not_found', 'No such endpoint.'),
  methodNotAllowed: (method, allow) => finqwareError('method_not_allowed', `${method} is not allowed on this path.`, { Allow: allow }),
  internalError: (message) => finqwareError('internal_error', message),
  invalidBody: (problem) => refuse(bodyRefusal(problem), 'full'),
  // A fault may name any code of the table: it is answered with that code's status and type.
  scriptedError: {
    codes: Object.keys(FINQWARE_ERRORS),
    answer: (code) => finqwareError(isErrorCode(code) ? code : 'internal_error', `Simulated ${code} (sandbox fault).`),
  },
};
