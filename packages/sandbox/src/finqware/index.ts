import { API_BASE, SIGNED_API_BASE } from '@guidepost/provider-contracts/finqware';
import { readBodyLimited } from './body';
import { catalogRoutes } from './catalog';
import { consentRoutes } from './consents';
import { controlRoutes } from './control';
import { checkControlHeaders, type TenantCredentials } from './credentials';
import { dataRoutes } from './data';
import { finqwareError } from './errors';
import { droppedAnswer, FaultScript } from '../kit/faults';
import { silentLogger, type SandboxLogger } from '../kit/logger';
import { Knobs, type KnobSettings } from './knobs';
import { findRoute, type Route } from './router';
import { sessionRoutes } from './sessions';
import { createSignatureCheck, type SigningOptions } from './signing';
import { FinqwareState, type IssuedSecrets, type UploadRecord } from './state';
import { tokenRoutes } from './tokens';
import { uploadRoutes } from './uploads';

export { FINQWARE_ERRORS, finqwareError, type FinqwareErrorBody, type FinqwareErrorCode, type FinqwareErrorType } from './errors';
export { AISP_SKILL, CARD_SKILL, SKILLS, type Skill, type SkillStep } from './catalog';
export { accountsOf, balancesOf, type SandboxAccount, type SandboxBalance } from './data';
export { type KnobSettings } from './knobs';
export { bodyDigest, MAX_SIGNATURE_LIFETIME_SECONDS, type SigningOptions } from './signing';
export { CONSENT_TTL_MS, DATA_RETENTION_GRACE_MS, type IssuedSecrets, type UploadRecord } from './state';
export { CURRENCIES, DOCUMENT_TYPES } from './step-data';
export { detectFileType } from './uploads';

export interface FinqwareSandboxOptions extends TenantCredentials {
  /** Turns `/v1s` on: requests there must carry an RS256 JWT from this service account, checked against its published keys (JWKS). Off: `/v1s` answers 401. */
  signing?: SigningOptions;
  /** The clock in epoch ms; tests pass a fake one. The clock_offset_ms knob adds to it, except for signatures. */
  now?: () => number;
  /** In [0, 1): decides which calls the error_rate knob hits; default Math.random. */
  random?: () => number;
  /** Where the sandbox logs; silent by default. */
  logger?: SandboxLogger;
}

export interface FinqwareSandbox {
  /** Answers a request whose URL path is Finqware's own (/v1/…, /v1s/…) or the control API's (/_control/…). */
  handle(request: Request): Promise<Response>;
  /** The sandbox's current time (the clock plus clock_offset_ms), epoch ms. */
  now(): number;
  knobs(): KnobSettings;
  setKnobs(changes: Partial<KnobSettings>): KnobSettings;
  /** Every accepted upload: sizes, hashes and detected types, never the bytes. */
  uploads(): UploadRecord[];
  /** Every nonce, temp_token and access_token issued so far. */
  issuedSecrets(): IssuedSecrets;
  /** Forgets every session, token, consent, upload and issued secret, and turns the knobs off. */
  reset(): void;
}

const CONTROL_PREFIX = '/_control/';

const API_ROUTES: readonly Route[] = [...catalogRoutes, ...sessionRoutes, ...uploadRoutes, ...tokenRoutes, ...consentRoutes, ...dataRoutes];

/** The base and the path below it, or null when the path is under neither base. */
function splitBase(pathname: string): { signed: boolean; path: string } | null {
  for (const [base, signed] of [
    [SIGNED_API_BASE, true],
    [API_BASE, false],
  ] as const) {
    if (pathname.startsWith(`${base}/`)) return { signed, path: pathname.slice(base.length) };
  }
  return null;
}

export function createFinqwareSandbox(options: FinqwareSandboxOptions): FinqwareSandbox {
  const credentials: TenantCredentials = { clientId: options.clientId, clientAppKey: options.clientAppKey, clientSecret: options.clientSecret };
  const baseNow = options.now ?? Date.now;
  const knobs = new Knobs(options.random ?? Math.random);
  const faults = new FaultScript();
  const state = new FinqwareState(() => baseNow() + knobs.get().clock_offset_ms);
  const checkSignature = createSignatureCheck(options.signing);
  const log = options.logger ?? silentLogger;
  const reset = () => {
    state.reset();
    knobs.reset();
    faults.reset();
  };
  const sandboxControlRoutes: readonly Route[] = controlRoutes({ knobs, faults, reset });

  async function run(route: Route, params: string[], request: Request, url: URL, signed: boolean): Promise<Response> {
    const body = await readBodyLimited(request, route.maxBodyBytes);
    if (body === null) return route.tooLarge();
    // Signatures are judged on the real clock: the offset knob is for nonces and consents.
    if (signed) {
      const refused = checkSignature(request, body, baseNow());
      if (refused) return refused;
    }
    return route.handle({ request, url, params, body, state, credentials });
  }

  async function route(request: Request, url: URL): Promise<Response> {
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      const refused = checkControlHeaders(request, credentials);
      if (refused) return refused;
      const found = findRoute(sandboxControlRoutes, request.method, url.pathname);
      return found instanceof Response ? found : run(found.route, found.params, request, url, false);
    }
    const base = splitBase(url.pathname);
    if (!base) return finqwareError('not_found', 'No such endpoint.');
    const found = findRoute(API_ROUTES, request.method, base.path);
    if (found instanceof Response) return found;
    const injected = await knobs.apply();
    if (injected) return injected;
    const fault = faults.take(request.method, base.path);
    if (fault === 'error') return finqwareError('internal_error', 'Simulated failure (sandbox fault).');
    const response = await run(found.route, found.params, request, url, base.signed);
    return fault === 'drop' ? droppedAnswer(response) : response;
  }

  return {
    async handle(request) {
      try {
        return await route(request, new URL(request.url));
      } catch (error) {
        // Name only: a message could one day carry request data.
        log.error({ provider: 'finqware', error: error instanceof Error ? error.name : 'unknown' }, 'finqware sandbox failed');
        return finqwareError('internal_error', 'The sandbox failed to answer.');
      }
    },
    now: () => state.now(),
    knobs: () => knobs.get(),
    setKnobs: (changes) => knobs.update(changes),
    uploads: () => state.uploads(),
    issuedSecrets: () => state.issuedSecrets(),
    reset,
  };
}
