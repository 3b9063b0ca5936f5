import { getEnv } from '@/lib/env';

/** Tells everyone at a glance that provider calls go to the built-in simulators, not to Bridge or Finqware. */
export function SandboxBadge() {
  const { bridge, finqware } = getEnv();
  const simulated = [bridge.sandbox ? 'Bridge' : null, finqware.sandbox ? 'Finqware' : null].filter(Boolean);
  if (simulated.length === 0) return null;
  return (
    <span
      className="rounded-full border border-amber-600 bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950"
      title={`${simulated.join(' and ')} ${simulated.length > 1 ? 'are' : 'is'} simulated by the built-in sandbox`}
    >
      Sandbox
    </span>
  );
}
