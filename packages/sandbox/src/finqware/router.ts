import type { TenantCredentials } from './credentials';
import { finqwareError } from './errors';
import type { FinqwareState } from './state';

export type HttpMethod = 'GET' | 'POST';

export interface RouteContext {
  request: Request;
  url: URL;
  /** The pattern's capture groups, URL-decoded. */
  params: string[];
  /** The raw body, read once (signatures are checked on these exact bytes). */
  body: Uint8Array<ArrayBuffer>;
  state: FinqwareState;
  credentials: TenantCredentials;
}

export interface Route {
  method: HttpMethod;
  /** Anchored pattern on the path below the base, e.g. /^\/sessions$/. */
  path: RegExp;
  /** The largest body read; larger ones get `tooLarge()` without being read. */
  maxBodyBytes: number;
  tooLarge: () => Response;
  handle: (context: RouteContext) => Response | Promise<Response>;
}

const PARAM = 'ROUTEPARAM';

/** An anchored pattern for a path of lib/finqware/choices PATHS, so the sandbox serves exactly what the client calls. */
export function routePattern(path: string | ((id: string) => string)): RegExp {
  const template = typeof path === 'string' ? path : path(PARAM);
  const escaped = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll(PARAM, '([^/]+)');
  return new RegExp(`^${escaped}$`);
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}

/** The route for a method and path, or the answer when there is none: 404 for the path, 405 (with Allow) for the method. */
export function findRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: string[] } | Response {
  const allowed = new Set<string>();
  for (const route of routes) {
    const match = route.path.exec(pathname);
    if (!match) continue;
    if (route.method === method) return { route, params: match.slice(1).map(decode) };
    allowed.add(route.method);
  }
  if (allowed.size > 0) {
    return finqwareError('method_not_allowed', `${method} is not allowed on this path.`, { Allow: [...allowed].join(', ') });
  }
  return finqwareError('not_found', 'No such endpoint.');
}
