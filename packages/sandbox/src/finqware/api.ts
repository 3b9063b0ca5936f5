import { isPlainObject, MAX_JSON_BYTES, parseJsonFields, type FieldSpec, type Fields } from './body';
import { refuse } from './errors';
import type { Route, RouteContext } from './router';

/**
 * A POST route with a JSON body checked against `spec`. `shape` is how body problems are answered:
 * in full (`{ id, type, http, code, message }`) or bare (`{ message }`, as step submissions do).
 */
export function jsonRoute<S extends FieldSpec>(
  path: RegExp,
  spec: S,
  handle: (fields: Fields<S>, context: RouteContext) => Response | Promise<Response>,
  shape: 'full' | 'bare' = 'full',
): Route {
  return {
    method: 'POST',
    path,
    maxBodyBytes: MAX_JSON_BYTES,
    tooLarge: () => refuse({ code: 'invalid_field', message: 'The body is too large.' }, shape),
    handle(context) {
      const parsed = parseJsonFields(context.body, context.request.headers.get('content-type'), spec);
      if (!parsed.ok) return refuse(parsed.refusal, shape);
      return handle(parsed.value, context);
    },
  };
}

/** The same answer reduced to a bare `{ message }`, status and headers kept; a 2xx or an answer without a message as is. */
async function bare(response: Response): Promise<Response> {
  if (response.ok) return response;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  if (!isPlainObject(body) || typeof body.message !== 'string') return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return Response.json({ message: body.message }, { status: response.status, headers });
}

/**
 * The route with every refusal answered as a bare `{ message }` under the same status, whatever refused:
 * how Finqware answers errors of step submission [doc] (a used or expired nonce among them, with no code),
 * and [ours] of an upload, which answers like a step submission.
 */
export function answeringBare(route: Route): Route {
  return {
    ...route,
    async handle(context) {
      // A body the route streams is refused (too large, a signature that does not hold) as any route's
      // body is before it runs: those answers are not the route's and keep their shape.
      const pipelines = new WeakSet<Response>();
      const streamBody: RouteContext['streamBody'] = async (consume) => {
        const read = await context.streamBody(consume);
        if (read instanceof Response) pipelines.add(read);
        return read;
      };
      const response = await route.handle({ ...context, streamBody });
      return pipelines.has(response) ? response : bare(response);
    },
  };
}
