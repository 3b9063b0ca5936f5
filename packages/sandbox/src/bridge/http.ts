import type { z } from 'zod';
import { bridgeError } from './errors';

/**
 * [ours, in the contract's BRIDGE_COMMON_ERRORS] 422 for a body that is not JSON at all. Built here rather
 * than with bridgeError because errors.ts's table, being moved into the shared kit, has no 422 type yet;
 * `documentation_url: null`, as Bridge's own answers may carry it.
 */
function notJson(): Response {
  return Response.json({ type: 'invalid_json', message: 'The request body is not valid JSON.', documentation_url: null }, { status: 422 });
}

/**
 * Reads a JSON body and checks it against `schema`: 415 without a JSON content type, `notJson()` when it
 * is not JSON, 400 when the JSON does not fit (naming the field, never its value).
 */
async function readBody<T extends z.ZodType>(request: Request, schema: T, notJsonAnswer: () => Response): Promise<z.infer<T> | Response> {
  const text = await request.text();
  // An empty body is an empty object: Bridge's own example creates a user with no body at all.
  let value: unknown = {};
  if (text.trim() !== '') {
    const contentType = request.headers.get('content-type') ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
      return bridgeError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
    }
    try {
      value = JSON.parse(text);
    } catch {
      return notJsonAnswer();
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') return bridgeError('invalid_request', `${issue.keys.join(', ')}: unknown field`);
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    return bridgeError('invalid_request', `${field}: ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** A body of one of Bridge's API routes, refused with the statuses the contract gives Bridge (422 for one that is not JSON). */
export function readApiJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T> | Response> {
  return readBody(request, schema, notJson);
}

/** A body of the sandbox's own control API, which is not Bridge's: a body that is not JSON is a plain 400. */
export function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T> | Response> {
  return readBody(request, schema, () => bridgeError('invalid_request', 'The request body is not valid JSON.'));
}
