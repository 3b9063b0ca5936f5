import 'server-only';
import { sql } from 'drizzle-orm';
import { getDatabase } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import type { ProviderName } from '@/lib/http/provider-client';
import { logger } from '@/lib/log';

// Two probes, as load balancers and orchestrators expect them:
// - liveness (GET /api/health): the process answers; no database or provider work, so a database
//   outage never gets healthy instances killed;
// - readiness (GET /api/ready): this instance can serve users: the database answers and each live
//   provider answers with our credentials accepted. Provider answers are cached briefly so a probe
//   every few seconds from several balancers does not become traffic to Bridge or Finqware.

/** What a provider probe found: it answered and took our credentials, or why not. */
export type ProbeOutcome = { ok: true } | { ok: false; reason: 'unavailable' | 'credentials_refused' | 'forbidden' | 'timeout' };

/** Asks a live provider one cheap question; rejects or resolves late on failure (the caller bounds the wait). */
export type ProviderProbe = (timeoutMs: number) => Promise<ProbeOutcome>;

export interface LivenessReport {
  status: 'ok';
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  database: { kind: 'pglite' | 'postgres'; ok: boolean };
  providers: Record<ProviderName, { mode: 'sandbox' } | ({ mode: 'live'; checkedAt: string } & ProbeOutcome)>;
}

// A probe must answer even when the database hangs (pg waits on TCP without a connect timeout).
const DATABASE_TIMEOUT_MS = 5_000;
const PROVIDER_TIMEOUT_MS = 5_000;
/** How long a provider's answer stands for: short, so an outage shows within seconds. */
export const PROVIDER_PROBE_CACHE_MS = 15_000;

class ProbeTimeout extends Error {
  override name = 'TimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function databaseOk(timeoutMs: number): Promise<boolean> {
  try {
    await withTimeout(
      getDatabase().then(({ db }) => db.execute(sql`select 1`)),
      timeoutMs,
    );
    return true;
  } catch (error) {
    // Error name and code only: messages can name hosts, users or connection strings.
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    logger().warn({ error: error instanceof Error ? error.name : 'unknown', code }, 'ready: database check failed');
    return false;
  }
}

/** GET /api/health: the process is up. */
export function checkLiveness(): LivenessReport {
  return { status: 'ok' };
}

type Cached = { at: number; outcome: ProbeOutcome; pending?: undefined } | { pending: Promise<ProbeOutcome> };
const cache = new Map<ProviderName, Cached>();

async function probeOnce(provider: ProviderName, probe: ProviderProbe, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    const outcome = await withTimeout(probe(timeoutMs), timeoutMs);
    if (!outcome.ok) logger().warn({ event: 'ready.provider_failed', provider, reason: outcome.reason }, 'ready: provider check failed');
    return outcome;
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    logger().warn({ event: 'ready.provider_failed', provider, reason: timedOut ? 'timeout' : 'unavailable' }, 'ready: provider check failed');
    return { ok: false, reason: timedOut ? 'timeout' : 'unavailable' };
  }
}

/** A provider's outcome, from the cache while fresh; concurrent probes share one call. */
async function providerOutcome(provider: ProviderName, probe: ProviderProbe, now: number, timeoutMs: number): Promise<{ at: number; outcome: ProbeOutcome }> {
  const cached = cache.get(provider);
  if (cached?.pending) return { at: now, outcome: await cached.pending };
  if (cached && now - cached.at < PROVIDER_PROBE_CACHE_MS) return cached;
  const pending = probeOnce(provider, probe, timeoutMs);
  cache.set(provider, { pending });
  const outcome = await pending;
  cache.set(provider, { at: now, outcome });
  return { at: now, outcome };
}

/** Forgets cached provider answers (tests). */
export function resetReadinessCache(): void {
  cache.clear();
}

/**
 * GET /api/ready: 200 when the database and every live provider answer, 503 otherwise. Never includes
 * error text. A simulated provider is part of this process and needs no probe.
 */
export async function checkReadiness(options: {
  probes: Record<ProviderName, ProviderProbe>;
  now?: () => number;
  timeoutMs?: number;
}): Promise<{ httpStatus: 200 | 503; report: ReadinessReport }> {
  const env = getEnv();
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  const provider = async (name: ProviderName): Promise<ReadinessReport['providers'][ProviderName]> => {
    if (env[name].sandbox) return { mode: 'sandbox' };
    const { at, outcome } = await providerOutcome(name, options.probes[name], now(), timeoutMs);
    return { mode: 'live', checkedAt: new Date(at).toISOString(), ...outcome };
  };
  const [databaseReady, bridge, finqware] = await Promise.all([databaseOk(options.timeoutMs ?? DATABASE_TIMEOUT_MS), provider('bridge'), provider('finqware')]);
  const ready = databaseReady && (bridge.mode === 'sandbox' || bridge.ok) && (finqware.mode === 'sandbox' || finqware.ok);
  return {
    httpStatus: ready ? 200 : 503,
    report: { status: ready ? 'ready' : 'not_ready', database: { kind: env.database.kind, ok: databaseReady }, providers: { bridge, finqware } },
  };
}
