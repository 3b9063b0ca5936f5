import type { z } from 'zod';
import { MAX_JSON_BYTES, parseJsonBody, readBodyLimited } from '../kit/body';
import { bridgeAnswers, bridgeError } from './errors';

/**
 * A body of one of Bridge's API routes, read under a cap and checked against `schema` (../kit/body.ts):
 * 415 without a JSON content type, 422 invalid_json when it is not JSON ([ours], in the contract's
 * BRIDGE_COMMON_ERRORS), 400 when the JSON does not fit (naming the field, never its value).
 */
export async function readApiJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T | Response> {
  const bytes = await readBodyLimited(request, MAX_JSON_BYTES);
  if (bytes === null) return bridgeError('invalid_request', 'The request body is too large.');
  const parsed = parseJsonBody(bytes, request.headers.get('content-type'), schema);
  if (parsed.ok) return parsed.value;
  return parsed.problem.kind === 'not_json' ? bridgeError('invalid_json', 'The request body is not valid JSON.') : bridgeAnswers.invalidBody(parsed.problem);
}
