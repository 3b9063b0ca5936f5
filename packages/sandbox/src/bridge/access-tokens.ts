import { BRIDGE_HEADERS } from '@guidepost/provider-contracts/bridge';
import { bridgeError } from './errors';
import type { BridgeState, BridgeUser } from './state';

/**
 * Checks `Authorization: Bearer <access_token>` on a user-scoped call. Answers 401 when the token is
 * missing, unknown (never issued, or its user was deleted: Bridge's "user not found") or expired: the
 * caller re-authenticates, and a deleted user's re-authentication then gets the token endpoint's 404.
 */
export function authenticateUser(state: BridgeState, request: Request): { user: BridgeUser } | Response {
  const header = request.headers.get(BRIDGE_HEADERS.authorization) ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return bridgeError('invalid_access_token', 'An Authorization: Bearer access token is required.');
  const found = state.lookupToken(match[1]);
  if (!found) return bridgeError('invalid_access_token', 'The access token is invalid.');
  // Bridge's tokens die at expires_at exactly.
  if (state.now() >= found.expiresAt) return bridgeError('expired_access_token', 'The access token has expired; authenticate the user again.');
  return { user: found.user };
}
