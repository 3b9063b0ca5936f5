import { API_BASE, SIGNED_API_BASE } from '@guidepost/provider-contracts/finqware';
import { createHash } from 'node:crypto';
import { declaredLength, readBodyLimited, streamBodyLimited } from '../kit/body';
import { FaultScript } from '../kit/faults';
import { silentLogger } from '../kit/logger';
import { requestPipeline, resetAll, type SimulatorOptions } from '../kit/pipeline';
import { catalogRoutes } from './catalog';
import { consentRoutes } from './consents';
import { controlRoutes } from './control';
import { checkControlHeaders, type TenantCredentials } from './credentials';
import { dataRoutes } from './data';
import { finqwareAnswers } from './errors';
import { Knobs, type KnobSettings } from './knobs';
import type { Route, RouteContext } from './router';
import { sessionRoutes } from './sessions';
import { bodyDigest, createSignatureCheck, type SigningOptions } from './signing';
import { FinqwareState, type IssuedSecrets, type UploadRecord } from './state';
import { tokenRoutes } from './tokens';
import { uploadRoutes } from './uploads';

export { FINQWARE_ERRORS, finqwareError, type FinqwareErrorBody, type FinqwareErrorCode, type FinqwareErrorType } from './errors';
export { AISP_SKILL, CARD_SKILL, SKILLS, type Skill, type SkillStep } from './catalog';
export { accountsOf, balancesOf, type SandboxAccount, type SandboxBalance } from './accounts';
export { HISTORY_MS, PENDING_MS, transactionsOf, type SandboxTransaction } from './transactions';
export { type KnobSettings } from './knobs';
export { bodyDigest, MAX_SIGNATURE_LIFETIME_SECONDS, type SigningOptions } from './signing';
export { CONSENT_TTL_MS, DATA_RETENTION_GRACE_MS, type IssuedSecrets, type UploadRecord } from './state';
export { CURRENCIES, DOCUMENT_TYPES } from './step-data';
export { detectFileType } from './uploads';

export interface FinqwareSandboxOptions extends TenantCredentials, SimulatorOptions {
  /** Turns `/v1s` on: requests there must carry an RS256 JWT from this service account, checked against its published keys (JWKS). Off: `/v1s` answers 401. */
  signing?: SigningOptions;
  /** The clock in epoch ms; tests pass a fake one. The clock_offset_ms knob adds to it, except for signatures. */
  now?: () => number;
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

const API_ROUTES: readonly Route[] = [...catalogRoutes, ...sessionRoutes, ...uploadRoutes, ...tokenRoutes, ...consentRoutes, ...dataRoutes];

/** Where a call enters: the path below its base, and whether that base is the signed one. */
interface ApiEntry {
  path: string;
  signed: boolean;
}

/** The base and the path below it, or null when the path is under neither base. */
function splitBase(pathname: string): ApiEntry | null {
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
  const reset = resetAll(state, knobs, faults);

  const handle = requestPipeline<RouteContext, Route, ApiEntry>({
    provider: 'finqware',
    answers: finqwareAnswers,
    logger: log,
    knobs,
    faults,
    control: { authorize: (request) => checkControlHeaders(request, credentials), routes: controlRoutes({ knobs, faults, reset }) },
    api: { enter: (_request, url) => splitBase(url.pathname) ?? finqwareAnswers.notFound(), routes: API_ROUTES },
    async context({ route, params }, request, url, entry) {
      // Signatures are judged on the real clock: the offset knob is for nonces and consents.
      const claims = () => (entry?.signed ? checkSignature.claims(request, baseNow()) : null);
      if (route.streamsBody) {
        // A declared length over the cap is refused first, as a body read whole would be.
        if ((declaredLength(request) ?? 0) > route.maxBodyBytes) return route.tooLarge();
        const claimed = claims();
        if (claimed instanceof Response) return claimed;
        // Read by the route as it arrives: the digest is computed on the way and judged at the end.
        const streamBody: RouteContext['streamBody'] = async (consume) => {
          const hash = claimed ? createHash('sha256') : null;
          const read = await streamBodyLimited(request, route.maxBodyBytes, (chunk) => hash?.update(chunk), consume);
          if (read === 'too_large') return route.tooLarge();
          return (claimed && checkSignature.body(claimed, hash!.digest('base64'))) || read;
        };
        return { request, url, params, body: new Uint8Array(0), streamBody, state, credentials };
      }
      const body = await readBodyLimited(request, route.maxBodyBytes);
      if (body === null) return route.tooLarge();
      const claimed = claims();
      if (claimed) {
        const refused = claimed instanceof Response ? claimed : checkSignature.body(claimed, bodyDigest(body));
        if (refused) return refused;
      }
      const streamBody: RouteContext['streamBody'] = async (consume) => ({
        value: await consume(
          (async function* () {
            yield body;
          })(),
        ),
      });
      return { request, url, params, body, streamBody, state, credentials };
    },
  });

  return {
    handle,
    now: () => state.now(),
    knobs: () => knobs.get(),
    setKnobs: (changes) => knobs.update(changes),
    uploads: () => state.uploads(),
    issuedSecrets: () => state.issuedSecrets(),
    reset,
  };
}
