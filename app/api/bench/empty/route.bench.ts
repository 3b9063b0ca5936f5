// Baselines for `npm run bench` only (built when GUIDEPOST_BENCH_BUILD=1, see next.config.mjs): empty route handlers.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({});
}

export async function POST(request: Request): Promise<Response> {
  await request.arrayBuffer();
  return Response.json({});
}
