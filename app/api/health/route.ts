import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  const { httpStatus, report } = await checkHealth();
  // Probes must see the live state, never a cached answer.
  return Response.json(report, { status: httpStatus, headers: { 'Cache-Control': 'no-store' } });
}
