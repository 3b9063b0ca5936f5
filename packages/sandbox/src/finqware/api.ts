import { MAX_JSON_BYTES, parseJsonFields, type FieldSpec, type Fields } from './body';
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
