import { getTranslations } from '@/lib/i18n/server';
import { getEnv } from '@/lib/env';

/** Tells everyone at a glance that provider calls go to the built-in simulators, not to Bridge or Finqware. */
export async function SandboxBadge() {
  const { bridge, finqware } = getEnv();
  const simulated = [bridge.sandbox ? 'Bridge' : null, finqware.sandbox ? 'Finqware' : null].filter((name) => name !== null);
  if (simulated.length === 0) return null;
  const t = await getTranslations('common.header');
  return (
    <span
      className="rounded-full border border-amber-600 bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950"
      title={t('sandboxTitle', { providers: simulated.join(` ${t('and')} `), count: simulated.length })}
    >
      {t('sandbox')}
    </span>
  );
}
