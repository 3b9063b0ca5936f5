import { CONTROL_PREFIX } from './control';
import type { ProviderAnswers } from './errors';
import { droppedAnswer, type FaultScript } from './faults';
import type { SandboxLogger } from './logger';
import { findRoute, type KitRoute, type RouteMatch } from './router';

// The way both simulators answer a request, written once:
//   requests outside the API (Bridge's guidance site) → their own handler;
//   /_control/… → the control credentials, then the control route;
//   anything else → the API's own entry checks (credentials, base path), the route (404/405), the
//   knobs, the scripted faults (the provider's 500, or the error a fault names), the route itself, and a
//   dropped answer where a fault says so;
//   any exception → the provider's 500, logged by the error's name only.

/** What a host may give either simulator. */
export interface SimulatorOptions {
  /** The clock in epoch ms; tests pass a fake one. */
  now?: () => number;
  /** In [0, 1): decides which calls the knobs' rates hit; default Math.random. */
  random?: () => number;
  /** Where the sandbox logs; silent by default. */
  logger?: SandboxLogger;
}

/** The control API's reset: every part (the state, the knobs, the faults) back to how it started. */
export function resetAll(...parts: ReadonlyArray<{ reset(): void }>): () => void {
  return () => {
    for (const part of parts) part.reset();
  };
}

/** Where an API call enters: the path its routes and faults match (below the API base), and whatever the provider needs later. */
export interface ApiEntry {
  path: string;
}

export interface PipelineOptions<Context, Route extends KitRoute<Context>, Entry extends ApiEntry> {
  /** Names the simulator in the log line. */
  provider: string;
  answers: ProviderAnswers;
  logger: SandboxLogger;
  knobs: { apply(): Promise<Response | null> };
  faults: FaultScript;
  /** Answers a request that is neither control nor API (a browser on Bridge's guidance site); null for the others. */
  outside?(request: Request, url: URL): Promise<Response> | null;
  control: {
    /** The refusal for a control call without the app's credentials; null when they match. */
    authorize(request: Request): Response | null;
    routes: readonly Route[];
  };
  api: {
    /** Checks made before routing (app credentials, the caller's address, the base path): the entry, or the refusal. */
    enter(request: Request, url: URL): Entry | Response;
    routes: readonly Route[];
  };
  /**
   * The handler's context for a found route, or the answer refusing the call before it runs (a body too
   * large, a bad signature). `entry` is null for a control call.
   */
  context(match: RouteMatch<Route>, request: Request, url: URL, entry: Entry | null): Context | Response | Promise<Context | Response>;
}

/** A simulator's `handle(request)`. */
export function requestPipeline<Context, Route extends KitRoute<Context>, Entry extends ApiEntry>(
  options: PipelineOptions<Context, Route, Entry>,
): (request: Request) => Promise<Response> {
  const { answers } = options;

  function match(routes: readonly Route[], method: string, path: string): RouteMatch<Route> | Response {
    const found = findRoute(routes, method, path);
    if ('route' in found) return found;
    return found.missing === 'method' ? answers.methodNotAllowed(method, found.allow) : answers.notFound();
  }

  async function run(found: RouteMatch<Route>, request: Request, url: URL, entry: Entry | null): Promise<Response> {
    const context = await options.context(found, request, url, entry);
    return context instanceof Response ? context : found.route.handle(context);
  }

  async function route(request: Request, url: URL): Promise<Response> {
    const outside = options.outside?.(request, url);
    if (outside) return outside;
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      const refused = options.control.authorize(request);
      if (refused) return refused;
      const found = match(options.control.routes, request.method, url.pathname);
      return found instanceof Response ? found : run(found, request, url, null);
    }
    const entry = options.api.enter(request, url);
    if (entry instanceof Response) return entry;
    const found = match(options.api.routes, request.method, entry.path);
    if (found instanceof Response) return found;
    // Knobs and faults act on the API only, on calls that reach a route.
    const injected = await options.knobs.apply();
    if (injected) return injected;
    const fault = options.faults.take(request.method, entry.path);
    if (fault?.action === 'error') {
      const { code } = fault;
      return code !== undefined && answers.scriptedError ? answers.scriptedError.answer(code) : answers.internalError('Simulated failure (sandbox fault).');
    }
    const response = await run(found, request, url, entry);
    return fault?.action === 'drop' ? droppedAnswer(response) : response;
  }

  return async (request) => {
    try {
      return await route(request, new URL(request.url));
    } catch (error) {
      // Name only: a message could one day carry request data.
      options.logger.error({ provider: options.provider, error: error instanceof Error ? error.name : 'unknown' }, `${options.provider} sandbox failed`);
      return answers.internalError('The sandbox failed to answer.');
    }
  };
}
