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
 * Reads a JSON body and checks it against `schema`, answering the way the contract says Bridge does when
 * it does not fit: 415 without a JSON content type, 422 when it is not JSON, 400 when the JSON does not
 * fit the endpoint (naming the field, never its value).
 */
export async function readJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T> | Response> {
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
      return notJson();
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
