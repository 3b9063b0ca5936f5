import 'server-only';
import { sweepBankData } from '@/lib/bank-data/retention';
import { sweepOpenRequests } from '@/lib/guidance/service';
import { sweepHandoffs } from '@/lib/handoff/store';
import { logger } from '@/lib/log';
import { sweepStaleTempTokens } from '@/lib/onboarding/service';

// Periodic clean-up on every instance; each sweep is one idempotent statement, so instances may overlap.
const INTERVAL_MS = 60_000;

const SWEEPS: Array<{ name: string; run: () => Promise<number> }> = [
  { name: 'stale_temp_tokens', run: () => sweepStaleTempTokens() },
  { name: 'guidance_open_requests', run: () => sweepOpenRequests() },
  { name: 'phone_handoffs', run: () => sweepHandoffs() },
  // Finqware's retention rules: an ended consent's accounts and transactions.
  { name: 'bank_data', run: () => sweepBankData() },
];

async function runSweeps(): Promise<void> {
  for (const sweep of SWEEPS) {
    try {
      const count = await sweep.run();
      if (count > 0) logger().info({ event: 'maintenance.swept', sweep: sweep.name, count }, 'maintenance sweep');
    } catch (error) {
      logger().warn({ event: 'maintenance.failed', sweep: sweep.name, error: error instanceof Error ? error.name : 'unknown' }, 'maintenance sweep failed');
    }
  }
}

export function startMaintenance(intervalMs = INTERVAL_MS): { stop: () => Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= runSweeps().finally(() => {
      running = undefined;
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
