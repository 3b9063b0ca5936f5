import 'server-only';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { authenticateUser } from './access-tokens';
import { authorizationRoutes } from './authorization';
import { checkAppHeaders, type ClientCredentials } from './credentials';
import { bridgeError } from './errors';
import { dispatch, type Route } from './router';
import { BridgeState, type BridgeUser } from './state';
import { userRoutes } from './users';

export { BRIDGE_ERRORS, bridgeError, type BridgeErrorBody, type BridgeErrorType } from './errors';
export { ACCESS_TOKEN_TTL_MS, type BridgeUser } from './state';

export interface BridgeSandboxOptions extends ClientCredentials {
  /** The clock in epoch ms; tests pass a fake one. */
  now?: () => number;
}

export interface BridgeSandbox {
  /** Answers a request whose URL path is Bridge's own (e.g. /v3/aggregation/users). */
  handle(request: Request): Promise<Response>;
  /** For user-scoped endpoints: the token's user, or the 401 to answer. */
  authenticateUser(request: Request): { user: BridgeUser } | Response;
  /** The sandbox's current time (the clock plus any offset), epoch ms. */
  now(): number;
  /** Shifts the sandbox's clock, e.g. two hours ahead to let tokens expire. */
  setClockOffset(ms: number): void;
  /** Every token issued so far is expired from now on. */
  expireAllTokens(): void;
  /** Forgets every user and token and the clock offset. */
  reset(): void;
}

// One list so later endpoints (guidance) slot in beside these.
const routes: readonly Route[] = [...userRoutes, ...authorizationRoutes];

export function createBridgeSandbox(options: BridgeSandboxOptions): BridgeSandbox {
  const credentials: ClientCredentials = { clientId: options.clientId, clientSecret: options.clientSecret };
  const state = new BridgeState(options.now ?? Date.now);

  return {
    async handle(request) {
      try {
        const refused = checkAppHeaders(request, credentials);
        if (refused) return refused;
        return await dispatch(routes, { request, url: new URL(request.url), state });
      } catch (error) {
        // Name only: a message could one day carry request data.
        logger().error({ provider: 'bridge', error: error instanceof Error ? error.name : 'unknown' }, 'bridge sandbox failed');
        return bridgeError('internal_server_error', 'The sandbox failed to answer.');
      }
    },
    authenticateUser: (request) => authenticateUser(state, request),
    now: () => state.now(),
    setClockOffset: (ms) => state.setClockOffset(ms),
    expireAllTokens: () => state.expireAllTokens(),
    reset: () => state.reset(),
  };
}

const holder = globalThis as unknown as { __guidepostBridgeSandbox?: { key: string; sandbox: BridgeSandbox } };

/** The process-wide Bridge sandbox, shared by every route (anchored on globalThis to survive module reloads). */
export function bridgeSandbox(): BridgeSandbox {
  const { clientId, clientSecret } = getEnv().bridge;
  const key = JSON.stringify([clientId, clientSecret]);
  // Rebuilt only if the configuration changed, which happens in tests, never in a running server.
  if (holder.__guidepostBridgeSandbox?.key !== key) {
    holder.__guidepostBridgeSandbox = { key, sandbox: createBridgeSandbox({ clientId, clientSecret }) };
  }
  return holder.__guidepostBridgeSandbox.sandbox;
}
