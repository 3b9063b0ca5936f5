// Routing shared by both simulators: a route is a method, an anchored pattern on the path the
// simulator routes on (Bridge's own path, or Finqware's below its base) and what answers it. Each
// simulator keeps its own route context; the kit only finds the route and decodes its parameters.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every route handler is given; each simulator adds its own (its state, the body it read…). */
export interface BaseRouteContext {
  request: Request;
  url: URL;
  /** The pattern's capture groups, URL-decoded. */
  params: string[];
}

export interface KitRoute<Context, Method extends HttpMethod = HttpMethod> {
  method: Method;
  path: RegExp;
  handle: (context: Context) => Response | Promise<Response>;
}

/** A route found for a request, with the pattern's capture groups URL-decoded. */
export interface RouteMatch<R> {
  route: R;
  params: string[];
}

/** Why no route answers: no route has the path (404), or none has the method (405, with the methods allowed). */
export type RouteMiss = { missing: 'path' } | { missing: 'method'; allow: string };

/** A URL path segment decoded; a malformed escape is kept as sent rather than failing the request. */
export function decodeSegment(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}

export function findRoute<R extends { method: string; path: RegExp }>(routes: readonly R[], method: string, pathname: string): RouteMatch<R> | RouteMiss {
  const allowed = new Set<string>();
  for (const route of routes) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (route.method === method) return { route, params: match.slice(1).map(decodeSegment) };
    allowed.add(route.method);
  }
  return allowed.size > 0 ? { missing: 'method', allow: [...allowed].join(', ') } : { missing: 'path' };
}

const PARAM = 'ROUTEPARAM';

/**
 * An anchored pattern for a path template of the contract (a string, or a function of the one id it
 * holds), so a simulator serves exactly the paths the client calls: `(id) => `/steps/${id}/upload`` → /^\/steps\/([^/]+)\/upload$/.
 */
export function routePattern(path: string | ((id: string) => string)): RegExp {
  const template = typeof path === 'string' ? path : path(PARAM);
  const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll(PARAM, '([^/]+)');
  return new RegExp(`^${escaped}$`);
}
