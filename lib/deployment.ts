// What makes a configuration a deployment, decided in one place and read by two: lib/env.ts (which then
// refuses the sandbox, generated secrets and weak values) and scripts/server.mjs (which listens on every
// interface only for a deployment). This file imports nothing, so Node runs it directly from the
// server script.

/**
 * The header scripts/server.mjs sets on every request to the socket's address (replacing anything a
 * client sent under that name); lib/http/client-address.ts reads it.
 */
export const PEER_HEADER = 'x-guidepost-peer';

/**
 * Event streams written by scripts/server.mjs once Next.js has answered (lib/events/sse.ts): the server names each
 * `GET /api/events` in this header (replacing anything a client sent), and the route leaves the stream's body in the
 * map on globalThis under this key, by that name.
 */
export const DETACH_HEADER = 'x-guidepost-detach';
export const DETACHED_BODIES = Symbol.for('guidepost.events.detached');

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

/** True for localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped, ::ffff:127.x.y.z). */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false;
  const value = address.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(value)) return true;
  const v4 = value.startsWith('::ffff:') ? value.slice('::ffff:'.length) : value;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

const TRUE = /^(1|true|yes)$/i;

/**
 * Why this configuration is meant for other people, or an empty list for the local demo. With
 * NODE_ENV=production, any one of these makes a deployment: an APP_URL, a listen address (HOST), a
 * database or Redis host that is not loopback; a real provider URL; or GUIDEPOST_DEPLOYMENT=true.
 * A production build with none of them is the demo: loopback only, sandboxes, generated secrets.
 */
export function deploymentReasons(env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const reasons: string[] = [];
  const remote = (name: string, host: string | undefined) => {
    if (host !== undefined && host !== '' && !isLoopbackAddress(host)) reasons.push(`${name} is not a loopback address`);
  };
  if (TRUE.test(env.GUIDEPOST_DEPLOYMENT ?? '')) reasons.push('GUIDEPOST_DEPLOYMENT is true');
  remote('APP_URL', hostOf(env.APP_URL));
  remote('HOST', env.HOST);
  remote('DATABASE_URL', hostOf(env.DATABASE_URL));
  remote('REDIS_URL', hostOf(env.REDIS_URL));
  if (env.BRIDGE_API_URL) reasons.push('BRIDGE_API_URL is set');
  if (env.FINQWARE_API_URL) reasons.push('FINQWARE_API_URL is set');
  return reasons;
}

/** The address the server listens on: HOST for a deployment (default every interface), loopback otherwise. */
export function listenHost(env: Record<string, string | undefined>): string {
  if (deploymentReasons(env).length > 0) return env.HOST || '0.0.0.0';
  return env.HOST && isLoopbackAddress(env.HOST) ? env.HOST : '127.0.0.1';
}
