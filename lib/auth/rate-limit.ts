import 'server-only';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { getEnv } from '@/lib/env';
import { messageRef } from '@/lib/i18n/message-ref';
import { redisClient } from '@/lib/redis';

interface AttemptLimit {
  /** Failed attempts allowed in the window. */
  points: number;
  windowSeconds: number;
}

// Logins (see README, "Login throttling"): a handful of guesses per account from one address; room for a
// shared office NAT per address; and a softer account-wide limit that a browser the account already
// logged in from ignores, so strangers guessing from many addresses cannot keep the owner out.
const LIMITS = {
  loginAccountAddress: { points: 5, windowSeconds: 15 * 60 },
  loginIp: { points: 50, windowSeconds: 15 * 60 },
  loginAccount: { points: 30, windowSeconds: 15 * 60 },
  signupIp: { points: 10, windowSeconds: 60 * 60 },
  passwordConfirm: { points: 5, windowSeconds: 15 * 60 },
  // The second factor asked with the password before a sensitive action (lib/auth/step-up.ts).
  secondFactorConfirm: { points: 5, windowSeconds: 15 * 60 },
  // Showing a guidance password again: plenty for a person, too few to farm the endpoint.
  guidanceReveal: { points: 10, windowSeconds: 10 * 60 },
  // "Forgot your password?": a few links an hour per address asked for (known or not: the same answer), and room
  // for an office per network address.
  passwordResetEmail: { points: 3, windowSeconds: 60 * 60 },
  passwordResetIp: { points: 20, windowSeconds: 60 * 60 },
  // "Send the link again" for the address confirmation.
  verificationResend: { points: 3, windowSeconds: 60 * 60 },
  // "Refresh" on the accounts page: each is three or more calls to Finqware and the bank behind it, which limit us.
  bankRefresh: { points: 5, windowSeconds: 10 * 60 },
} satisfies Record<string, AttemptLimit>;

// Limits an operator sets (GUIDANCE_OPEN_LIMIT, GUIDANCE_OPEN_WINDOW_SECONDS): each opening is a live password at Bridge.
const CONFIGURED = { guidanceOpen: () => getEnv().guidanceOpenLimit } satisfies Record<string, () => AttemptLimit>;

export type LimitName = keyof typeof LIMITS | keyof typeof CONFIGURED;

function limitOf(name: LimitName): AttemptLimit {
  return name in CONFIGURED ? CONFIGURED[name as keyof typeof CONFIGURED]() : LIMITS[name as keyof typeof LIMITS];
}

const holder = globalThis as unknown as { __guidepostLimiters?: Map<LimitName, RateLimiterAbstract> };

function limiter(name: LimitName): RateLimiterAbstract {
  holder.__guidepostLimiters ??= new Map();
  let found = holder.__guidepostLimiters.get(name);
  if (!found) {
    const { points, windowSeconds } = limitOf(name);
    const options = { keyPrefix: `gp:rl:${name}`, points, duration: windowSeconds };
    // Redis shares counters between app instances; memory is the embedded default.
    found = getEnv().redisUrl ? new RateLimiterRedis({ ...options, storeClient: redisClient() }) : new RateLimiterMemory(options);
    holder.__guidepostLimiters.set(name, found);
  }
  return found;
}

/** Seconds until another attempt is allowed, or 0 when the key may try now. */
export async function retryAfter(name: LimitName, key: string): Promise<number> {
  const state = await limiter(name).get(key);
  if (!state || state.consumedPoints < limitOf(name).points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

/** Records a failed attempt. */
export async function recordFailure(name: LimitName, key: string): Promise<void> {
  await limiter(name)
    .penalty(key, 1)
    .catch(() => undefined);
}

/** Counts one use of a limited action; returns 0 when allowed, or the seconds to wait. */
export async function consume(name: LimitName, key: string): Promise<number> {
  try {
    await limiter(name).consume(key, 1);
    return 0;
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    return Math.max(1, Math.ceil((rejection as { msBeforeNext: number }).msBeforeNext / 1000));
  }
}

/** Gives back one use counted by consume() (the action did not happen after all). */
export async function refund(name: LimitName, key: string): Promise<void> {
  await limiter(name)
    .reward(key, 1)
    .catch(() => undefined);
}

export async function clearFailures(name: LimitName, key: string): Promise<void> {
  await limiter(name).delete(key);
}

/**
 * "Too many attempts. Please wait 3 minutes and try again.", as a message reference (lib/i18n/message-ref.ts): an
 * action's result carries it and the action wrapper says it in the user's language. (A reference rather than
 * translator(): the login chain imports this module, and the request's language depends on that chain.)
 */
export function waitMessage(seconds: number): string {
  return messageRef('auth.errors.wait', { minutes: Math.ceil(seconds / 60) });
}
