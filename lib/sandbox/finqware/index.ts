import 'server-only';
import { randomUUID } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';

// First slice: the error model and the POST-only rule. The onboarding work adds the endpoints.

export type FinqwareErrorType = 'invalid_request' | 'unauthorized' | 'external_api_error' | 'internal_error';

export interface FinqwareErrorBody {
  /** Finqware's id for support; a fresh UUID per error. */
  id: string;
  type: FinqwareErrorType;
  http: number;
  code: string;
  message: string;
}

/** A Finqware-style error response: `{ id, type, http, code, message }` with `http` equal to the status. */
export function finqwareError(http: number, type: FinqwareErrorType, code: string, message: string, headers?: HeadersInit): Response {
  const body: FinqwareErrorBody = { id: randomUUID(), type, http, code, message };
  return Response.json(body, { status: http, headers });
}

export interface FinqwareSandboxOptions {
  clientId: string;
  clientAppKey: string;
  clientSecret: string;
  /** The clock in epoch ms; tests pass a fake one. */
  now?: () => number;
}

export interface FinqwareSandbox {
  /** Answers a request whose URL path is Finqware's own (e.g. /v1/sessions). */
  handle(request: Request): Promise<Response>;
  /** Forgets everything the sandbox holds. */
  reset(): void;
}

export function createFinqwareSandbox(options: FinqwareSandboxOptions): FinqwareSandbox {
  // Kept for the endpoints to come; unused by this slice.
  void options;
  return {
    async handle(request) {
      try {
        // Finqware: every call is a POST with a JSON body, reads included.
        if (request.method !== 'POST') {
          return finqwareError(405, 'invalid_request', 'method_not_allowed', 'Every Finqware endpoint takes POST.', { Allow: 'POST' });
        }
        return finqwareError(404, 'invalid_request', 'not_found', 'No such endpoint.');
      } catch (error) {
        logger().error({ provider: 'finqware', error: error instanceof Error ? error.name : 'unknown' }, 'finqware sandbox failed');
        return finqwareError(500, 'internal_error', 'internal_error', 'The sandbox failed to answer.');
      }
    },
    reset() {},
  };
}

const holder = globalThis as unknown as { __guidepostFinqwareSandbox?: { key: string; sandbox: FinqwareSandbox } };

/** The process-wide Finqware sandbox, shared by every route. */
export function finqwareSandbox(): FinqwareSandbox {
  const { clientId, clientAppKey, clientSecret } = getEnv().finqware;
  const key = JSON.stringify([clientId, clientAppKey, clientSecret]);
  // Rebuilt only if the configuration changed, which happens in tests, never in a running server.
  if (holder.__guidepostFinqwareSandbox?.key !== key) {
    holder.__guidepostFinqwareSandbox = { key, sandbox: createFinqwareSandbox({ clientId, clientAppKey, clientSecret }) };
  }
  return holder.__guidepostFinqwareSandbox.sandbox;
}
