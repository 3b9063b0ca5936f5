import type { BaseRouteContext, HttpMethod, KitRoute } from '../kit/router';
import type { BridgeState } from './state';

// Bridge's routes: the kit's router (../kit/router.ts) on Bridge's own paths, e.g. /^\/v3\/aggregation\/users$/.

export interface RouteContext extends BaseRouteContext {
  state: BridgeState;
}

export type Route = KitRoute<RouteContext, HttpMethod>;
