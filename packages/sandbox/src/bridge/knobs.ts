import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import { knobFields, SimulatorKnobs } from '../kit/knobs';
import { bridgeError } from './errors';

/** Misbehaviour the sandbox can be told to show on its API routes, as the control API names it. */
export interface KnobSettings {
  latency_ms: number;
  /** Fraction of API calls answered 500. */
  error_rate: number;
  /** Fraction of API calls answered 429 with Retry-After. */
  rate_limit_rate: number;
  /**
   * The app's IP allow-list, as Bridge's dashboard holds it: API calls from any other address answer
   * Bridge's 403. Null (the default): no allow-list, every address may call.
   */
  ip_allow_list: string[] | null;
}

// Bridge: the allow-list holds specific addresses, or /32 ranges (so /128 for IPv6); no wider range.
const allowListEntry = z.string({ error: 'must be a string' }).refine(
  (entry) => {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    return family !== 0 && rest.length === 0 && (prefix === undefined || prefix === (family === 4 ? '32' : '128'));
  },
  { error: 'must be an IP address, or an IPv4 /32 or IPv6 /128 range' },
);

export const knobsUpdateSchema = z.strictObject({
  latency_ms: knobFields.latencyMs.optional(),
  error_rate: knobFields.rate.optional(),
  rate_limit_rate: knobFields.rate.optional(),
  ip_allow_list: z.array(allowListEntry, { error: 'must be a list of IP addresses, or null' }).max(50, { error: 'at most 50 addresses' }).nullable().optional(),
});

const OFF: KnobSettings = { latency_ms: 0, error_rate: 0, rate_limit_rate: 0, ip_allow_list: null };
const RETRY_AFTER_SECONDS = 1;

function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = ''] = entry.split('/');
    list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

export class Knobs extends SimulatorKnobs<KnobSettings> {
  /** `random` in [0, 1) decides which calls fail; tests pass a scripted one. */
  constructor(random: () => number) {
    super(OFF, random, (message) => bridgeError('internal_server_error', message));
  }

  /** After latency and error_rate: 429 with Retry-After for rate_limit_rate of the calls. */
  protected override misbehave({ rate_limit_rate }: KnobSettings): Response | null {
    if (!this.hits(rate_limit_rate)) return null;
    return bridgeError('too_many_requests', 'Too many requests; retry later (sandbox rate_limit_rate).', { 'Retry-After': String(RETRY_AFTER_SECONDS) });
  }

  /**
   * Bridge's 403 for a caller not on the allow-list, or null. `address` is the caller's IP as the host saw
   * it (an IPv4-mapped IPv6 address matches its IPv4 entry); an unknown caller is on no list.
   */
  refuseCaller(address: string | null): Response | null {
    const { ip_allow_list: entries } = this.get();
    if (entries === null) return null;
    const caller = address?.trim() ?? '';
    const family = isIP(caller);
    if (family !== 0 && allowList(entries).check(caller, family === 6 ? 'ipv6' : 'ipv4')) return null;
    // The address is not repeated: the caller knows it, and logs of the answer need not.
    return bridgeError('ip_not_allowed', 'This IP address is not on the allow-list of this application.');
  }
}
