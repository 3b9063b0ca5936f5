import type { BaseRouteContext, KitRoute } from '../kit/router';
import type { TenantCredentials } from './credentials';
import type { FinqwareState } from './state';

// Finqware's routes: the kit's router (../kit/router.ts) on the path below the API base, e.g. /^\/sessions$/.

export { routePattern } from '../kit/router';

type HttpMethod = 'GET' | 'POST';

export interface RouteContext extends BaseRouteContext {
  /** The raw body, read once (signatures are checked on these exact bytes); empty for a route that streams it (`streamsBody`). */
  body: Uint8Array<ArrayBuffer>;
  /**
   * The body through `consume` as it arrives, under the route's cap and, on /v1s, checked against the
   * digest the signature claims once all of it went by: what consume returned, or the refusal (too
   * large, invalid signature) in its place. A route that does not stream gets its one buffer.
   */
  streamBody<T>(consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>): Promise<{ value: T } | Response>;
  state: FinqwareState;
  credentials: TenantCredentials;
}

export interface Route extends KitRoute<RouteContext, HttpMethod> {
  /** The largest body read; larger ones get `tooLarge()` without being read. */
  maxBodyBytes: number;
  /** The route reads its body as it streams in (`context.streamBody`) instead of whole before it runs. */
  streamsBody?: true;
  tooLarge: () => Response;
}
