import 'server-only';
import { logger } from '@/lib/log';

// What must be stopped cleanly when the server is told to stop (SIGTERM): the webhook worker, then the
// connections. The registry lives on globalThis under a registered symbol because the server script
// (scripts/server.mjs) runs it from outside the bundles, after the HTTP server has finished its
// in-flight requests.

type ShutdownHook = { name: string; run: () => Promise<void> };

const REGISTRY = Symbol.for('guidepost.shutdown');

interface Registry {
  hooks: ShutdownHook[];
  run: () => Promise<void>;
  /** What must end before in-flight requests can finish: requests that never finish by themselves (event streams). */
  drainHooks?: ShutdownHook[];
  drain?: () => Promise<void>;
}

function registry(): Registry {
  const holder = globalThis as unknown as { [REGISTRY]?: Registry };
  if (!holder[REGISTRY]) {
    const hooks: ShutdownHook[] = [];
    let running: Promise<void> | undefined;
    holder[REGISTRY] = {
      hooks,
      // Last registered, first stopped: the worker (registered after the database) stops before the pool closes.
      run: () =>
        (running ??= (async () => {
          for (const hook of [...hooks].reverse()) {
            try {
              await hook.run();
              logger().info({ event: 'shutdown.step', step: hook.name }, `shutdown: ${hook.name} stopped`);
            } catch (error) {
              logger().error(
                { event: 'shutdown.step_failed', step: hook.name, error: error instanceof Error ? error.name : 'unknown' },
                `shutdown: ${hook.name} failed`,
              );
            }
          }
        })()),
    };
  }
  const created = holder[REGISTRY];
  // Added to a registry an older copy may have made first.
  if (!created.drainHooks) {
    const drainHooks: ShutdownHook[] = [];
    created.drainHooks = drainHooks;
    created.drain = async () => {
      for (const hook of drainHooks) {
        try {
          await hook.run();
        } catch (error) {
          logger().error(
            { event: 'shutdown.drain_failed', step: hook.name, error: error instanceof Error ? error.name : 'unknown' },
            `shutdown: ${hook.name} failed`,
          );
        }
      }
    };
  }
  return created;
}

/** Registers work to do at shutdown; a hook of the same name replaces the earlier one. */
export function onShutdown(name: string, run: () => Promise<void>): void {
  const { hooks } = registry();
  const index = hooks.findIndex((hook) => hook.name === name);
  if (index >= 0) hooks.splice(index, 1);
  hooks.push({ name, run });
}

/**
 * Registers work to do as soon as the server stops accepting connections, before it waits for in-flight requests:
 * the requests that would never end by themselves (event streams) are ended here. A hook of the same name replaces the
 * earlier one.
 */
export function onDrain(name: string, run: () => Promise<void>): void {
  const hooks = registry().drainHooks!;
  const index = hooks.findIndex((hook) => hook.name === name);
  if (index >= 0) hooks.splice(index, 1);
  hooks.push({ name, run });
}
