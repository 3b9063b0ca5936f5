import { after } from 'next/server';
import { receiveBridgeWebhook } from '@/lib/guidance/webhooks';

export const dynamic = 'force-dynamic';

// Bridge is the caller: it authenticates by signature (checked first thing), not by session.
export function POST(request: Request) {
  return receiveBridgeWebhook(request, (work) => after(work));
}
