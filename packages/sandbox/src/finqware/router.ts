import type { BaseRouteContext, KitRoute } from '../kit/router';
import type { TenantCredentials } from './credentials';
import type { FinqwareState } from './state';

// Finqware's routes: the kit's router (../kit/router.ts) on the path below the API base, e.g. /^\/sessions$/.

export { routePattern } from '../kit/router';

type HttpMethod = 'GET' | 'POST';

export interface RouteContext extends BaseRouteContext {
  /** The raw body, read once (signatures are checked on these exact bytes). */
  body: Uint8Array<ArrayBuffer>;
  state: FinqwareState;
  credentials: TenantCredentials;
}

export interface Route extends KitRoute<RouteContext, HttpMethod> {
  /** The largest body read; larger ones get `tooLarge()` without being read. */
  maxBodyBytes: number;
  tooLarge: () => Response;
}
