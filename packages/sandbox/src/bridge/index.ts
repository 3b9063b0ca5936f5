import { FaultScript } from '../kit/faults';
import { silentLogger } from '../kit/logger';
import { requestPipeline, resetAll, type SimulatorOptions } from '../kit/pipeline';
import { authenticateUser } from './access-tokens';
import { authorizationRoutes } from './authorization';
import { controlRoutes } from './control';
import { checkAppHeaders, checkClientCredentials, type ClientCredentials } from './credentials';
import { bridgeAnswers } from './errors';
import { guidanceRoutes } from './guidance';
import { Knobs } from './knobs';
import type { Route, RouteContext } from './router';
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

export interface BridgeSandboxOptions extends ClientCredentials, SimulatorOptions {
  /** The portal's public origin, on which the guidance site is served. */
  siteOrigin: string;
  /** Where webhooks go: the portal's Bridge webhook endpoint. None: port 9 (discard), where nothing answers. */
  webhookUrl?: string;
  /** Secrets that sign webhooks, one v1 entry each; none: unsigned. */
  webhookSecrets?: readonly string[];
  /**
   * The request header in which the host puts the caller's IP address (the portal: its peer header, set
   * from the socket). The ip_allow_list knob judges callers by it; without it every caller is unknown,
   * so a set allow-list refuses every API call.
   */
  peerHeader?: string;
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
  const reset = resetAll(state, knobs, faults);
  const callerAddress = (request: Request) => (options.peerHeader ? request.headers.get(options.peerHeader) : null);

  const handle = requestPipeline<RouteContext, Route, { path: string }>({
    provider: 'bridge',
    answers: bridgeAnswers,
    logger: log,
    knobs,
    faults,
    // A browser on the guidance site has no app credentials.
    outside: (request, url) =>
      isGuidanceSitePath(url.pathname)
        ? handleGuidanceSite(request, url, { state, secureCookie: () => siteOrigin().startsWith('https:'), sendGuidanceReadyWebhook: sendWebhook })
        : null,
    control: {
      authorize: (request) => checkClientCredentials(request, credentials),
      routes: controlRoutes({ knobs, faults, sendGuidanceReadyWebhook: sendWebhook, reset }),
    },
    api: {
      // The allow-list is the app's, so it is judged once the app is known.
      enter: (request, url) => checkAppHeaders(request, credentials) ?? knobs.refuseCaller(callerAddress(request)) ?? { path: url.pathname },
      routes: [...userRoutes, ...authorizationRoutes, ...guidanceRoutes(siteOrigin)],
    },
    context: ({ params }, request, url) => ({ request, url, params, state }),
  });

  return {
    handle,
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
