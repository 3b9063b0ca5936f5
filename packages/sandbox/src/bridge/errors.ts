import { jsonErrorBuilder, type ProviderAnswers } from '../kit/errors';

// Every error the Bridge sandbox answers, in one place. Bridge's v3 error types are not published
// (PROVIDERS.md): these names are ours, in the older docs' `{ type, message, documentation_url }` shape.
export const BRIDGE_ERRORS = {
  invalid_client_credentials: 401,
  missing_bridge_version: 400,
  invalid_bridge_version: 400,
  invalid_access_token: 401,
  expired_access_token: 401,
  // Bridge documents "401 user not found" for a guidance session whose user_uuid is not the token's user.
  user_not_authorized: 401,
  // Bridge documents a 403 when the caller's IP is not on the app's allow-list (the type name is ours).
  ip_not_allowed: 403,
  invalid_request: 400,
  // [ours] 422 for a body that is not JSON at all (422 is among Bridge's documented statuses).
  invalid_json: 422,
  unsupported_media_type: 415,
  not_found: 404,
  user_not_found: 404,
  user_already_exists: 409,
  method_not_allowed: 405,
  too_many_requests: 429,
  internal_server_error: 500,
} as const;

export type BridgeErrorType = keyof typeof BRIDGE_ERRORS;

const DOCUMENTATION_URL = 'https://docs.bridgeapi.io/';
// Bridge's answers may carry `documentation_url: null`; the sandbox answers so for these types, so that
// the client's handling of it is exercised (it must keep the type).
const UNDOCUMENTED: ReadonlySet<BridgeErrorType> = new Set(['invalid_json']);

export interface BridgeErrorBody {
  type: BridgeErrorType;
  message: string;
  documentation_url: string | null;
}

/** A Bridge-style error response; the status follows from the type so the two never disagree. */
export const bridgeError: (type: BridgeErrorType, message: string, headers?: HeadersInit) => Response = jsonErrorBuilder<BridgeErrorType>(
  (type) => BRIDGE_ERRORS[type],
  (type, message): BridgeErrorBody => ({ type, message, documentation_url: UNDOCUMENTED.has(type) ? null : DOCUMENTATION_URL }),
);

/** What the kit answers on Bridge's behalf. */
export const bridgeAnswers: ProviderAnswers = {
  notFound: () => bridgeError('not_found', 'No such endpoint.'),
  methodNotAllowed: (method, allow) => bridgeError('method_not_allowed', `${method} is not allowed on this path.`, { Allow: allow }),
  internalError: (message) => bridgeError('internal_server_error', message),
  invalidBody(problem) {
    switch (problem.kind) {
      case 'media_type':
        return bridgeError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
      case 'not_json':
        return bridgeError('invalid_request', 'The request body is not valid JSON.');
      case 'unknown_fields':
        return bridgeError('invalid_request', `${problem.fields.join(', ')}: unknown field`);
      case 'invalid_field':
        return bridgeError('invalid_request', `${problem.field}: ${problem.problem}`);
    }
  },
};
