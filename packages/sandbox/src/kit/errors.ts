import type { BodyProblem } from './body';

// Every error a simulator answers is JSON in its provider's documented body, with the status that goes
// with the error's code. The kit builds that response once; each provider supplies its table of codes
// and its body, and the few answers the kit gives on its behalf (below).

/** `(code, message, headers?) => Response` for a provider: the status follows from the code, so the two never disagree. */
export function jsonErrorBuilder<Code extends string>(
  statusOf: (code: Code) => number,
  body: (code: Code, message: string, status: number) => object,
): (code: Code, message: string, headers?: HeadersInit) => Response {
  return (code, message, headers) => {
    const status = statusOf(code);
    return Response.json(body(code, message, status), { status, headers });
  };
}

/** The answers the kit's router, pipeline and control API give, each in the provider's own error body. */
export interface ProviderAnswers {
  /** No route has this path. */
  notFound(): Response;
  /** A route has this path but not this method; `allow` is the Allow header's value. */
  methodNotAllowed(method: string, allow: string): Response;
  /** The provider's 500: a scripted fault, the error_rate knob, or the simulator failing. */
  internalError(message: string): Response;
  /** A control API body that is not JSON or does not fit its schema; names fields, never values. */
  invalidBody(problem: BodyProblem): Response;
  /**
   * The provider's own error for a code a scripted `error` fault names (`{ …, "code": "expired_credentials" }`),
   * and the codes a fault may name; absent when faults name none (they answer internalError).
   */
  scriptedError?: { codes: readonly string[]; answer(code: string): Response };
}
