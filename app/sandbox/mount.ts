import 'server-only';
import { createHash } from 'node:crypto';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { createFinqwareSandbox, type FinqwareSandbox } from '@guidepost/sandbox/finqware';
import { PEER_HEADER } from '@/lib/deployment';
import { getEnv } from '@/lib/env';
import { isLoopbackRequest } from '@/lib/http/client-address';
import { bodyProblemResponse, guardBody, type BodyProblem } from '@/lib/http/read-body';
import { logger } from '@/lib/log';

// The one place the product meets the simulators (lint-enforced): it builds each from the
// environment, injects the logger, and serves it under /sandbox/<provider>/*.

const holder = globalThis as unknown as {
  __guidepostBridgeSandbox?: { key: string; sandbox: BridgeSandbox };
  __guidepostFinqwareSandbox?: { key: string; sandbox: FinqwareSandbox };
};

/** The process-wide Bridge sandbox, shared by every route (anchored on globalThis to survive module reloads). */
export function bridgeSandbox(): BridgeSandbox {
  const env = getEnv();
  const { clientId, clientSecret, webhookSecrets } = env.bridge;
  const key = JSON.stringify([clientId, clientSecret, webhookSecrets, env.appUrl, env.port]);
  // Rebuilt only if the configuration changed, which happens in tests, never in a running server.
  if (holder.__guidepostBridgeSandbox?.key !== key) {
    holder.__guidepostBridgeSandbox = {
      key,
      sandbox: createBridgeSandbox({
        clientId,
        clientSecret,
        siteOrigin: env.appUrl,
        webhookUrl: `http://127.0.0.1:${env.port}/api/webhooks/bridge`,
        webhookSecrets,
        logger: logger(),
        // The caller's address, as scripts/server.mjs stamps it from the socket: what the ip_allow_list knob judges.
        peerHeader: PEER_HEADER,
      }),
    };
  }
  return holder.__guidepostBridgeSandbox.sandbox;
}

/**
 * The process-wide Finqware sandbox, shared by every route (anchored on globalThis to survive module reloads).
 * With signing on, `/v1s` is checked as Finqware checks it: against the service account's published keys
 * (FINQWARE_SANDBOX_JWKS) and its email, never a key derived from ours. Without signing, `/v1s` answers 401.
 */
export function finqwareSandbox(): FinqwareSandbox {
  const { clientId, clientAppKey, clientSecret, signing, sandboxJwks } = getEnv().finqware;
  const verify = signing && sandboxJwks ? { email: signing.email, jwks: sandboxJwks } : undefined;
  // Hashed: the key would otherwise keep a second copy of the client secret.
  const key = createHash('sha256')
    .update(JSON.stringify([clientId, clientAppKey, clientSecret, verify ?? null]))
    .digest('hex');
  // Rebuilt only if the configuration changed, which happens in tests, never in a running server.
  if (holder.__guidepostFinqwareSandbox?.key !== key) {
    holder.__guidepostFinqwareSandbox = {
      key,
      sandbox: createFinqwareSandbox({ clientId, clientAppKey, clientSecret, signing: verify, logger: logger() }),
    };
  }
  return holder.__guidepostFinqwareSandbox.sandbox;
}

export type SandboxProvider = 'bridge' | 'finqware';

const sandboxes: Record<SandboxProvider, () => { handle(request: Request): Promise<Response> }> = {
  bridge: bridgeSandbox,
  finqware: finqwareSandbox,
};

// A document's two sides, each up to 10 MB, plus their multipart envelope: the largest Finqware upload.
// Each simulator holds every route to a cap of its own, this one or lower; this one holds any request.
const MAX_SANDBOX_BODY_BYTES = 2 * MAX_UPLOAD_BYTES + 1_000_000;

function notFound(): Response {
  return Response.json({ error: 'not_found' }, { status: 404 });
}

/**
 * Serves /sandbox/<provider>/* from the provider's simulator, which sees the provider's own path.
 * With a real provider URL configured (always in a deployment) the sandbox does not exist: 404,
 * whatever the path; its control API answers loopback requests only.
 */
export async function mountSandbox(provider: SandboxProvider, request: Request): Promise<Response> {
  if (!getEnv()[provider].sandbox) return notFound();

  const url = new URL(request.url);
  const prefix = `/sandbox/${provider}`;
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return notFound();
  url.pathname = url.pathname.slice(prefix.length) || '/';
  // The control API lists every secret the sandbox issued: only this machine may reach it, whatever
  // credentials are sent (the sandbox's are published in .env.example).
  if (url.pathname.startsWith('/_control/') && !isLoopbackRequest(request.headers)) {
    logger().warn({ event: 'sandbox.control_refused', provider }, 'sandbox control API refused: not a loopback request');
    return notFound();
  }

  // Passed on as it arrives, as the provider would receive it: the simulator reads it as it goes (an
  // upload is summed up on the way, a signed request refused before its body is read) and never holds
  // more than its route's cap. A body that breaks the rules here is answered for here.
  const guarded = request.method !== 'GET' && request.method !== 'HEAD' ? guardBody(request, { maxBytes: MAX_SANDBOX_BODY_BYTES }) : undefined;
  const refused = (problem: BodyProblem) => bodyProblemResponse(problem, `any provider request (${MAX_SANDBOX_BODY_BYTES / 1_000_000} MB)`);
  const refusedAtOnce = guarded?.problem();
  if (refusedAtOnce) return refused(refusedAtOnce);
  const forwarded = new Request(url, {
    method: request.method,
    headers: request.headers,
    body: guarded?.body ?? undefined,
    signal: request.signal,
    duplex: 'half',
  } as RequestInit);

  // Whatever the simulator made of a body that broke the rules (an error, or its own refusal), the answer is ours.
  const response = await sandboxes[provider]()
    .handle(forwarded)
    .catch((error: unknown) => {
      if (guarded?.problem()) return null;
      throw error;
    });
  const problem = guarded?.problem();
  if (problem || !response) {
    await response?.body?.cancel().catch(() => undefined);
    return refused(problem ?? 'aborted');
  }
  // Method, path and status only: bodies and headers carry secrets and personal data.
  logger().debug({ provider, method: request.method, path: url.pathname, status: response.status }, 'sandbox call');
  return response;
}
