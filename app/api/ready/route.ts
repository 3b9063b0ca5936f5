import { checkReadiness } from '@/lib/health';
import { providerProbes } from '@/lib/health-probes';

// Readiness: the database and each live provider answer (provider answers cached for 15 s).
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(): Promise<Response> {
  const { httpStatus, report } = await checkReadiness({ probes: providerProbes() });
  // Probes must see the live state, never a cached answer.
  return Response.json(report, { status: httpStatus, headers: { 'Cache-Control': 'no-store' } });
}
