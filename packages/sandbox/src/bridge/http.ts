import type { z } from 'zod';
import { bridgeError } from './errors';

/** Reads a JSON body and checks it against `schema`; answers 400/415 the way Bridge would when it does not fit. */
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
      return bridgeError('invalid_request', 'The request body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    // Names the offending field, never its value.
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') return bridgeError('invalid_request', `${issue.keys.join(', ')}: unknown field`);
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    return bridgeError('invalid_request', `${field}: ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}
