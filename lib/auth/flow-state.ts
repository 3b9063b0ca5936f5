import 'server-only';
import { sealData, unsealData } from 'iron-session';
import { getEnv } from '@/lib/env';

// iron-session seals short-lived flow state in a cookie: where to go after logging in. Never identity.
export const FLOW_COOKIE = 'gp_flow';
export const FLOW_TTL_SECONDS = 10 * 60;

export interface FlowState {
  returnTo?: string;
}

function password(): string {
  return getEnv().authSecret;
}

/** Only same-site paths: never a protocol-relative or absolute URL (open redirects). */
export function safeReturnPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return undefined;
  if (path.startsWith('/login') || path.startsWith('/signup') || path.startsWith('/api/')) return undefined;
  return path;
}

export function sealFlowState(state: FlowState): Promise<string> {
  return sealData(state, { password: password(), ttl: FLOW_TTL_SECONDS });
}

export async function unsealFlowState(sealed: string | undefined): Promise<FlowState> {
  if (!sealed) return {};
  try {
    return await unsealData<FlowState>(sealed, { password: password(), ttl: FLOW_TTL_SECONDS });
  } catch {
    return {};
  }
}
