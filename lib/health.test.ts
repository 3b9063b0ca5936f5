import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/test/databases';
import { envSetter } from '@/test/env';
import { checkLiveness, checkReadiness, PROVIDER_PROBE_CACHE_MS, resetReadinessCache, type ProbeOutcome, type ProviderProbe } from './health';

const configure = envSetter();

/** A probe that answers `outcome` and counts its calls. */
function countingProbe(outcome: ProbeOutcome | (() => Promise<ProbeOutcome>)): ProviderProbe & { calls: number } {
  const probe = Object.assign(
    async () => {
      probe.calls += 1;
      return typeof outcome === 'function' ? outcome() : outcome;
    },
    { calls: 0 },
  );
  return probe;
}

describe('liveness', () => {
  it('answers ok without touching the database or a provider', () => {
    expect(checkLiveness()).toEqual({ status: 'ok' });
  });
});

describe('readiness', () => {
  useTestDatabase('pglite');
  beforeEach(() => resetReadinessCache());

  it('with both providers simulated: ready when the database answers, no provider is called', async () => {
    configure({ BRIDGE_API_URL: undefined, FINQWARE_API_URL: undefined });
    const bridge = countingProbe({ ok: false, reason: 'unavailable' });
    const finqware = countingProbe({ ok: false, reason: 'unavailable' });
    const { httpStatus, report } = await checkReadiness({ probes: { bridge, finqware } });
    expect(httpStatus).toBe(200);
    expect(report).toMatchObject({ status: 'ready', database: { ok: true }, providers: { bridge: { mode: 'sandbox' }, finqware: { mode: 'sandbox' } } });
    expect(bridge.calls + finqware.calls).toBe(0);
  });

  it('a live provider that refuses our credentials makes the instance not ready (503), saying which and why', async () => {
    configure({ BRIDGE_API_URL: 'http://127.0.0.1:9', FINQWARE_API_URL: undefined });
    const { httpStatus, report } = await checkReadiness({
      probes: { bridge: countingProbe({ ok: false, reason: 'credentials_refused' }), finqware: countingProbe({ ok: true }) },
    });
    expect(httpStatus).toBe(503);
    expect(report.status).toBe('not_ready');
    expect(report.providers.bridge).toMatchObject({ mode: 'live', ok: false, reason: 'credentials_refused' });
  });

  it('caches a provider answer for a short time, then asks again; concurrent probes share one call', async () => {
    configure({ BRIDGE_API_URL: 'http://127.0.0.1:9', FINQWARE_API_URL: 'http://127.0.0.1:9' });
    let clock = 1_000_000;
    const bridge = countingProbe({ ok: true });
    const finqware = countingProbe({ ok: true });
    const options = { probes: { bridge, finqware }, now: () => clock };
    const answers = await Promise.all([checkReadiness(options), checkReadiness(options), checkReadiness(options)]);
    expect(answers.map((answer) => answer.httpStatus)).toEqual([200, 200, 200]);
    expect(bridge.calls).toBe(1);
    clock += PROVIDER_PROBE_CACHE_MS - 1;
    await checkReadiness(options);
    expect(bridge.calls).toBe(1);
    clock += 2;
    await checkReadiness(options);
    expect(bridge.calls).toBe(2);
    expect(finqware.calls).toBe(2);
  });

  it('a provider that does not answer in time is not ready with reason timeout, within the timeout', async () => {
    configure({ BRIDGE_API_URL: undefined, FINQWARE_API_URL: 'http://127.0.0.1:9' });
    const hanging: ProviderProbe = () => new Promise(() => undefined);
    const started = Date.now();
    const { httpStatus, report } = await checkReadiness({ probes: { bridge: countingProbe({ ok: true }), finqware: hanging }, timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(httpStatus).toBe(503);
    expect(report.providers.finqware).toMatchObject({ mode: 'live', ok: false, reason: 'timeout' });
  });
});
