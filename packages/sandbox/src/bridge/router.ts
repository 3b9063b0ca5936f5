import { bridgeError } from './errors';
import type { BridgeState } from './state';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  request: Request;
  url: URL;
  /** The pattern's capture groups, URL-decoded. */
  params: string[];
  state: BridgeState;
}

export interface Route {
  method: HttpMethod;
  /** Anchored pattern on the provider's own path, e.g. /^\/v3\/aggregation\/users$/. */
  path: RegExp;
  handle: (context: RouteContext) => Response | Promise<Response>;
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}

/** Finds the route for a request: 404 when no route has the path, 405 (with Allow) when none has the method. */
export function dispatch(routes: readonly Route[], context: Omit<RouteContext, 'params'>): Response | Promise<Response> {
  const { pathname } = context.url;
  const allowed = new Set<string>();
  for (const route of routes) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (route.method === context.request.method) return route.handle({ ...context, params: match.slice(1).map(decode) });
    allowed.add(route.method);
  }
  if (allowed.size > 0) {
    return bridgeError('method_not_allowed', `${context.request.method} is not allowed on this path.`, { Allow: [...allowed].join(', ') });
  }
  return bridgeError('not_found', 'No such endpoint.');
}
