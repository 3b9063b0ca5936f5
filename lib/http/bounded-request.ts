import { bodyProblemResponse, isBodyReadError, readBodyCapped } from './read-body';

/**
 * The same request with its body read under a cap (and a stall timeout), for handlers that would
 * otherwise read a body whole; or the 413/408/400 answer to send instead.
 */
export async function boundedRequest(request: Request, options: { maxBytes: number; limitDescription: string }): Promise<Request | Response> {
  if (request.method === 'GET' || request.method === 'HEAD') return request;
  try {
    const body = await readBodyCapped(request, { maxBytes: options.maxBytes });
    return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
  } catch (error) {
    if (!isBodyReadError(error)) throw error;
    return bodyProblemResponse(error.problem, options.limitDescription);
  }
}
