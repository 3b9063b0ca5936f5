
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
  invalid_request: 400,
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

export interface BridgeErrorBody {
  type: BridgeErrorType;
  message: string;
  documentation_url: string;
}

/** A Bridge-style error response; the status follows from the type so the two never disagree. */
export function bridgeError(type: BridgeErrorType, message: string, headers?: HeadersInit): Response {
  const body: BridgeErrorBody = { type, message, documentation_url: DOCUMENTATION_URL };
  return Response.json(body, { status: BRIDGE_ERRORS[type], headers });
}
