import { checkLiveness } from '@/lib/health';

// Liveness: the process answers. Readiness (database, providers) is GET /api/ready.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(): Response {
  return Response.json(checkLiveness(), { headers: { 'Cache-Control': 'no-store' } });
}
