import { after } from 'next/server';
import { logger } from '@/lib/log';
import { receiveBridgeWebhook } from '@/lib/webhooks/bridge-receiver';
import { failureCode, processAfterDelivery } from '@/lib/webhooks/worker';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// Bridge is the caller: it authenticates by signature (checked first thing), not by session.
export function POST(request: Request) {
  return receiveBridgeWebhook(request, () =>
    // The stored event is worked on right after the answer (one pass at a time in this process, however many
    // deliveries come); if this pass fails or the process dies, the worker loop of any instance takes it up again.
    after(() =>
      processAfterDelivery((error) => logger().warn({ event: 'webhook.after_pass_failed', code: failureCode(error) }, 'webhook pass after delivery failed')),
    ),
  );
}
