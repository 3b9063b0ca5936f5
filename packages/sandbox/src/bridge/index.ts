import { authenticateUser } from './access-tokens';
import { authorizationRoutes } from './authorization';
import { controlRoutes } from './control';
import { checkAppHeaders, checkClientCredentials, type ClientCredentials } from './credentials';
import { bridgeError } from './errors';
import { guidanceRoutes } from './guidance';
import { droppedAnswer, FaultScript } from '../kit/faults';
import { silentLogger, type SandboxLogger } from '../kit/logger';
import { Knobs } from './knobs';
import { dispatch, type Route } from './router';
import { handleGuidanceSite, isGuidanceSitePath } from './site';
import { BridgeState, type BridgeUser } from './state';
import { userRoutes } from './users';
import { sendGuidanceReadyWebhook, type GuidanceReadyEvent, type WebhookDelivery } from './webhooks';

export { BRIDGE_ERRORS, bridgeError, type BridgeErrorBody, type BridgeErrorType } from './errors';
export { ACCESS_TOKEN_TTL_MS, type BridgeUser } from './state';
export { GUIDANCE_SESSION_TTL_MS, type GuidanceSession } from './guidance-store';
export { generateGuidancePassword, GUIDANCE_PASSWORD_LENGTH } from './guidance';
export { guidanceIndicators, type GuidanceIndicators } from './indicators';
export { type KnobSettings } from './knobs';
export { SITE_ACCESS_COOKIE } from './site';
export { guidanceSiteUrl, SITE_PUBLIC_BASE } from './site-paths';
export { guidanceReadyBody, signBridgeWebhook, type GuidanceReadyEvent, type WebhookDelivery } from './webhooks';

export interface BridgeSandboxOptions extends ClientCredentials {
  /** The clock in epoch ms; tests pass a fake one. */
  now?: () => number;
  /** The portal's public origin, on which the guidance site is served. */
  siteOrigin: string;
  /** Where webhooks go: the portal's Bridge webhook endpoint. None: port 9 (discard), where nothing answers. */
  webhookUrl?: string;
  /** Secrets that sign webhooks, one v1 entry each; none: unsigned. */
  webhookSecrets?: readonly string[];
  /** Where the sandbox logs; silent by default. */
  logger?: SandboxLogger;
  /** In [0, 1): decides which calls the error and rate-limit knobs hit; default Math.random. */
  random?: () => number;
}

export interface BridgeSandbox {
  /**
   * Answers a request whose URL path is Bridge's own (e.g. /v3/aggregation/users), the guidance
   * site's (/guidance/session/{id}…) or the control API's (/_control/…).
   */
  handle(request: Request): Promise<Response>;
  /** For user-scoped endpoints: the token's user, or the 401 to answer. */
  authenticateUser(request: Request): { user: BridgeUser } | Response;
  /** The sandbox's current time (the clock plus any offset), epoch ms. */
  now(): number;
  /** Shifts the sandbox's clock, e.g. two hours ahead to let tokens expire. */
  setClockOffset(ms: number): void;
  /** Every token issued so far is expired from now on. */
  expireAllTokens(): void;
  /** Posts a signed guidance.health.ready event to the portal and tells how it answered. */
  sendGuidanceReadyWebhook(event: GuidanceReadyEvent): Promise<WebhookDelivery>;
  /** Forgets every user, token, guidance session and issued password, the clock offset, the knobs and the faults. */
  reset(): void;
}

const CONTROL_PREFIX = '/_control/';

export function createBridgeSandbox(options: BridgeSandboxOptions): BridgeSandbox {
  const credentials: ClientCredentials = { clientId: options.clientId, clientSecret: options.clientSecret };
  const state = new BridgeState(options.now ?? Date.now);
  const knobs = new Knobs(options.random ?? Math.random);
  const faults = new FaultScript();
  const log = options.logger ?? silentLogger;
  const siteOrigin = () => options.siteOrigin;
  const sendWebhook = (event: GuidanceReadyEvent) =>
    sendGuidanceReadyWebhook(event, {
      url: options.webhookUrl ?? 'http://127.0.0.1:9/api/webhooks/bridge',
      secrets: options.webhookSecrets ?? [],
      now: () => state.now(),
      logger: log,
    });
  const reset = () => {
    state.reset();
    knobs.reset();
    faults.reset();
  };

  const apiRoutes: readonly Route[] = [...userRoutes, ...authorizationRoutes, ...guidanceRoutes(siteOrigin)];
  const sandboxControlRoutes: readonly Route[] = controlRoutes({ knobs, faults, sendGuidanceReadyWebhook: sendWebhook, reset });

  async function route(request: Request, url: URL): Promise<Response> {
    // A browser on the guidance site has no app credentials.
    if (isGuidanceSitePath(url.pathname)) {
      return handleGuidanceSite(request, url, { state, secureCookie: () => siteOrigin().startsWith('https:'), sendGuidanceReadyWebhook: sendWebhook });
    }
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      return checkClientCredentials(request, credentials) ?? dispatch(sandboxControlRoutes, { request, url, state });
    }
    const refused = checkAppHeaders(request, credentials);
    if (refused) return refused;
    // Knobs act on the API only, after the app is known (Bridge's limits are per app).
    const injected = await knobs.apply();
    if (injected) return injected;
    const fault = faults.take(request.method, url.pathname);
    if (fault === 'error') return bridgeError('internal_server_error', 'Simulated failure (sandbox fault).');
    const response = await dispatch(apiRoutes, { request, url, state });
    return fault === 'drop' ? droppedAnswer(response) : response;
  }

  return {
    async handle(request) {
      try {
        return await route(request, new URL(request.url));
      } catch (error) {
        // Name only: a message could one day carry request data.
        log.error({ provider: 'bridge', error: error instanceof Error ? error.name : 'unknown' }, 'bridge sandbox failed');
        return bridgeError('internal_server_error', 'The sandbox failed to answer.');
      }
    },
    authenticateUser: (request) => authenticateUser(state, request),
    now: () => state.now(),
    setClockOffset: (ms) => state.setClockOffset(ms),
    expireAllTokens: () => {
      state.expireAllTokens();
    },
    sendGuidanceReadyWebhook: sendWebhook,
    reset,
  };
}
